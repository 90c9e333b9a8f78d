import Baifs
import Configuration
import Foundation
import Runs

/// One run as an HTML report embeds it: its name, status, the values of the config keys the
/// report shows, its final, best and test metrics, and its learning curves (`metrics.csv`).
public struct ReportRun: Sendable {
    /// The run as read back.
    public let record: RunRecord
    /// The name shown in legends and tables: the run directory's name, or its path when two runs
    /// of the report share a name.
    public let label: String
    /// `metrics.csv`, or an empty table if the run has not finished an epoch.
    public let curves: MetricsTable

    /// Reads `record`'s `metrics.csv`.
    ///
    /// - Throws: `RunStoreError` naming the line and column of a malformed `metrics.csv`.
    public init(_ record: RunRecord, label: String) throws(RunStoreError) {
        self.record = record
        self.label = label
        let metricsPath = "\(record.path)/metrics.csv"
        curves = FileManager.default.fileExists(atPath: metricsPath)
            ? try MetricsTable(runDirectory: record.path) : MetricsTable(columns: [], rows: [])
    }

    /// The labels of runs at `paths`: each directory's last path component, unless two are the
    /// same, then the paths as given.
    public static func labels(for paths: [String]) -> [String] {
        let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
        return Set(names).count == names.count ? names : paths
    }

    /// The run as the page reads it:
    ///
    ///     {"label", "path", "name", "status", "config": [values of `configKeys`, null where absent],
    ///      "final": {"epoch", METRIC: value, …} or null, "best": {…} or null,
    ///      "test": {"final": {"loss", "accuracy"}, "best": {…} or null} or null,
    ///      "curves": {COLUMN: [value or null per epoch], …}}
    ///
    /// Metrics are in `Metric` order; curve columns in `metrics.csv` order.
    public func json(configKeys: [String]) -> JSONValue {
        .object([
            ("label", .string(label)),
            ("path", .string(record.path)),
            ("name", .string(record.name)),
            ("status", record.status.map(JSONValue.string) ?? .null),
            ("config", .array(configKeys.map { key in record.configValue(key).map(JSONValue.string) ?? .null })),
            ("final", Self.rowJSON(record.final)),
            ("best", Self.rowJSON(record.best)),
            ("test", record.test.map { test in
                .object([("final", Self.testJSON(test.final)), ("best", test.best.map(Self.testJSON) ?? .null)])
            } ?? .null),
            ("curves", .object(curves.columns.enumerated().map { index, column in
                (column, .array(curves.rows.map { JSONValue.optional($0[index]) }))
            })),
        ])
    }

    /// `{"epoch": N, METRIC: value, …}` in `Metric` order, or null.
    static func rowJSON(_ row: RunRecord.SummaryRow?) -> JSONValue {
        guard let row else { return .null }
        var members: [(String, JSONValue)] = [("epoch", row.epoch.map { .integer(Int64($0)) } ?? .null)]
        for metric in Metric.allCases {
            if let value = row.metrics[metric.rawValue] { members.append((metric.rawValue, .number(value))) }
        }
        return .object(members)
    }

    /// The names of the test metrics, in the order the page shows them.
    static let testMetrics = ["loss", "accuracy"]

    /// `{"loss": value, "accuracy": value}`, the metrics the evaluation has.
    static func testJSON(_ metrics: [String: Double]) -> JSONValue {
        .object(testMetrics.compactMap { name in metrics[name].map { (name, .number($0)) } })
    }
}
