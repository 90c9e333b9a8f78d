import Baifs
import Foundation

/// A table of text cells printed as aligned columns or as a Markdown table.
struct TextTable {
    /// How a column's cells line up.
    enum Alignment {
        case left, right
    }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    /// Columns separated by two spaces, each as wide as its widest cell, indented by `indent`.
    func text(indent: String = "") -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            let cells = row.indices.map { column -> String in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return alignments[column] == .right ? padding + row[column] : row[column] + padding
            }
            return indent + cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// A Markdown table; `|` in cells is escaped.
    var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + alignments.map { $0 == .right ? "---:" : "---" }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// A number for a report: integers without a fraction, others with six significant digits.
func reportNumber(_ value: Double?) -> String {
    guard let value else { return "—" }
    if value.isNaN { return "nan" }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return value.formatted("%.6g")
}

/// A difference `b − a` for a report, with its sign: `+0.0123`, `−2`, `0`.
func reportDelta(_ value: Double?) -> String {
    guard let value else { return "—" }
    if value == 0 { return "0" }
    let magnitude = reportNumber(abs(value))
    return (value > 0 ? "+" : "−") + magnitude
}
