import Baifs
import Foundation
import Inspection

/// A `GradientCheck` as a text table: per layer the values checked and the worst relative error.
struct GradientCheckTable {
    let check: GradientCheck

    var text: String {
        var table = TextTable(headers: ["layer", "type", "values", "worst error", "at", ""],
                              alignments: [.left, .left, .right, .right, .left, .left])
        table.rows = check.results.map { result in
            [result.name, result.type, "\(result.checkedValues)" + (result.skippedValues > 0 ? " (+\(result.skippedValues) at kinks)" : ""),
             Self.format(result.worstError), result.worstAt, result.worstError <= GradientCheck.threshold ? "ok" : "FAILED"]
        }
        let title = "gradient check: \(check.sampleCount) samples, central differences with step \(GradientCheck.step), "
            + "worst |analytic − numeric| / max(|analytic|, |numeric|, \(GradientCheck.floor)) per layer (threshold \(GradientCheck.threshold))"
        return ([title] + table.lines).joined(separator: "\n")
    }

    /// An error in scientific notation: `3.2e-11`.
    static func format(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.1e", value)
    }
}
