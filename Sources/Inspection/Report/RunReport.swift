import Baifs
import Configuration
import Runs

/// Runs side by side, as `baifs-run report RUN...` shows them: their learning curves overlaid,
/// the config keys whose values differ, and their final, best and test metrics.
public struct RunReport: Sendable {
    /// The runs, in the order given (a sweep's trials in trial order).
    public let runs: [ReportRun]
    /// The config keys whose values are not the same in every run (`name` aside), as `compare`
    /// shows them.
    public let configKeys: [String]
    /// The metrics of `summary.json`'s final and best rows that any run has, in `Metric` order.
    public let metrics: [String]
    /// The test metrics (`loss`, `accuracy`) that any run has.
    public let testMetrics: [String]

    /// Reads the runs that `arguments` name: run directories, or sweep directories for their
    /// trials' runs.
    ///
    /// - Throws: `RunStoreError` if an argument is neither, a run's files are malformed, or there
    ///   is no run at all.
    public init(_ arguments: [String]) throws(RunStoreError) {
        let table = try RunTable(arguments)
        guard !table.runs.isEmpty else {
            throw RunStoreError("no runs to report: \(arguments.joined(separator: ", ")) holds no run directory yet.")
        }
        let labels = ReportRun.labels(for: table.runs.map(\.path))
        runs = try table.runs.enumerated().map { index, record throws(RunStoreError) in try ReportRun(record, label: labels[index]) }
        configKeys = table.configKeys
        let records = table.runs
        metrics = Metric.allCases.map(\.rawValue).filter { metric in
            records.contains { $0.final?.metrics[metric] != nil || $0.best?.metrics[metric] != nil }
        }
        testMetrics = ReportRun.testMetrics.filter { metric in
            records.contains { $0.test?.final[metric] != nil || $0.test?.best?[metric] != nil }
        }
    }

    /// The title a report of these runs has unless given one: the run's label, or the number of runs.
    public var defaultTitle: String {
        runs.count == 1 ? "\(runs[0].label): run report" : "\(runs.count) runs"
    }

    /// What the page draws:
    ///
    ///     {"kind": "runs", "config_keys": […], "metrics": […], "test_metrics": […],
    ///      "runs": [ReportRun.json, …]}
    public var json: JSONValue {
        .object([
            ("kind", .string("runs")),
            ("config_keys", .array(configKeys.map(JSONValue.string))),
            ("metrics", .array(metrics.map(JSONValue.string))),
            ("test_metrics", .array(testMetrics.map(JSONValue.string))),
            ("runs", .array(runs.map { $0.json(configKeys: configKeys) })),
        ])
    }
}
