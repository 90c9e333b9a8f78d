import Baifs
import Foundation

/// A table of text cells printed as aligned columns or as a Markdown table: the one table
/// renderer of the runner's reports (`diff`, `compare`, `plan`, `--gradcheck`).
package struct TextTable {
    /// How a column's cells line up.
    package enum Alignment {
        case left, right
    }

    package var headers: [String]
    package var alignments: [Alignment]
    package var rows: [[String]] = []

    package init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    /// The width of each column in terminal columns: its widest cell, header included (see
    /// `String.displayWidth`: a CJK character or an emoji takes two).
    package var columnWidths: [Int] {
        headers.indices.map { column in ([headers] + rows).map { $0[column].displayWidth }.max() ?? 0 }
    }

    /// The header, then each row, as lines: columns separated by two spaces, each as wide as its
    /// widest cell, without trailing spaces.
    package var lines: [String] {
        let widths = columnWidths
        return ([headers] + rows).map { row in
            let cells = row.indices.map { column -> String in
                let padding = String(repeating: " ", count: widths[column] - row[column].displayWidth)
                return alignments[column] == .right ? padding + row[column] : row[column] + padding
            }
            return cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    /// `lines`, each indented by `indent` and ended by a newline.
    package func text(indent: String = "") -> String {
        lines.map { indent + $0 + "\n" }.joined()
    }

    /// A Markdown table; `|` in cells is escaped.
    package var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + alignments.map { $0 == .right ? "---:" : "---" }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// A number for a report: integers without a fraction, others with six significant digits.
package func reportNumber(_ value: Double?) -> String {
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
