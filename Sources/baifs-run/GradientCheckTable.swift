import Foundation
import Inspection

/// A `GradientCheck` as a text table: per layer the values checked and the worst relative error.
struct GradientCheckTable {
    let check: GradientCheck

    var text: String {
        let header = ["layer", "type", "values", "worst error", "at", ""]
        let rows = check.results.map { result in
            [result.name, result.type, "\(result.checkedValues)" + (result.skippedValues > 0 ? " (+\(result.skippedValues) at kinks)" : ""),
             Self.format(result.worstError), result.worstAt, result.worstError <= GradientCheck.threshold ? "ok" : "FAILED"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return [2, 3].contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let title = "gradient check: \(check.sampleCount) samples, central differences with step \(GradientCheck.step), "
            + "worst |analytic − numeric| / max(|analytic|, |numeric|, \(GradientCheck.floor)) per layer (threshold \(GradientCheck.threshold))"
        return ([title, line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// An error in scientific notation: `3.2e-11`.
    static func format(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.1e", value)
    }
}
