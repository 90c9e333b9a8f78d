import Foundation

/// The parts of a run's `summary.json` that sweeps, `diff`, `compare` and `report` read back: its
/// status, its final and best rows, and its test-set evaluation. Read with `JSONDecoder`, which reads every number back exactly
/// as written (Foundation's `JSONSerialization` can be off in the last digit).
package struct RunSummaryFile: Decodable {
    var status: String?
    /// The final row: `epoch`, `step` and every metric (null where the run did not measure it).
    package var final: [String: Double?]?
    /// The best row.
    package var best: [String: Double?]?
    /// The test set's evaluation once training has ended, `{"final": {"loss", "accuracy"}, "best":
    /// {…} or null}`; `nil` when the summary has none (or `test` is null).
    package var test: [String: [String: Double?]?]?

    /// Reads the `summary.json` of the run directory at `runPath`; `nil` if it is missing.
    ///
    /// - Throws: `RunStoreError` if the file is there but is not a summary.
    package static func read(runPath: String) throws(RunStoreError) -> RunSummaryFile? {
        let path = "\(runPath)/summary.json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(RunSummaryFile.self, from: data)
        } catch {
            throw RunStoreError("\(path) is not a run summary: \(error.localizedDescription)")
        }
    }

    /// Whether the run trained to the end: `completed`, or `stopped_early`.
    package var isCompleted: Bool {
        status == RunStatus.completed.rawValue || status == RunStatus.stoppedEarly.rawValue
    }

    /// The epoch and the metrics (by `metrics.csv` column) of `row`.
    package static func split(_ row: [String: Double?]) -> (epoch: Int?, metrics: [String: Double]) {
        var metrics: [String: Double] = [:]
        for (key, value) in row where key != "epoch" && key != "step" {
            if let value { metrics[key] = value }
        }
        return (row["epoch"].flatMap { $0 }.map { Int($0) }, metrics)
    }
}
