import Baifs
import Configuration
import Runs
import Sweeps

/// A sweep, as `baifs-run report SWEEP` shows it: the trials ranked by the sweep's metric, a
/// parallel-coordinates plot of the swept keys against the metric, and the best trial's curves
/// and metrics.
public struct SweepReport: Sendable {
    /// The ranked trials, as `summary.csv` holds them.
    public let summary: SweepSummary
    /// Why each trial whose last attempt failed did (the manifest's `error`), by trial id.
    public let errors: [String: String]
    /// The plot's axes: each swept key path some trial gives a value, in the sweep's order, then
    /// the metric if any trial has completed.
    public let axes: [ParallelAxis]
    /// The best trial's run, if a trial has completed.
    public let best: ReportRun?

    /// Reads the sweep directory: its manifest, every trial's summary, and the best trial's run.
    ///
    /// - Throws: `RunStoreError` if the sweep's or the best trial's files are malformed.
    public init(_ directory: SweepDirectory) throws(RunStoreError) {
        summary = try SweepSummary.gather(directory)
        var errors: [String: String] = [:]
        for trial in try directory.readManifest() { errors[trial.id] = trial.error }
        self.errors = errors

        let info = summary.info
        let rows = summary.rows
        var axes: [ParallelAxis] = info.parameters.enumerated().compactMap { index, key in
            ParallelAxis(key: key, label: key, values: rows.map { $0.parameters[index].isEmpty ? nil : $0.parameters[index] })
        }
        let metricValues = rows.filter { $0.rank != nil }.compactMap { $0.metrics[info.metric.rawValue] }
        if let metricAxis = ParallelAxis(key: info.metric.rawValue, label: "\(info.use.rawValue) \(info.metric.rawValue)",
                                         numbers: metricValues, isMetric: true) {
            axes.append(metricAxis)
        }
        self.axes = axes

        if let first = rows.first, first.rank == 1 {
            best = try ReportRun(RunRecord.read(directory.runPath(of: first.trial)), label: first.trial)
        } else {
            best = nil
        }
    }

    /// The title a report of the sweep has unless given one.
    public var defaultTitle: String {
        "sweep \(summary.info.name)"
    }

    /// Where `row` sits on each axis, from 0 (bottom) to 1 (top), or `nil` where it has no value.
    public func coordinates(of row: SweepSummary.Row) -> [Double?] {
        axes.map { axis in
            if axis.isMetric { return row.rank == nil ? nil : row.metrics[axis.key].flatMap(axis.position(of:)) }
            guard let index = summary.info.parameters.firstIndex(of: axis.key), !row.parameters[index].isEmpty else { return nil }
            return axis.position(of: row.parameters[index])
        }
    }

    /// What the page draws:
    ///
    ///     {"kind": "sweep",
    ///      "sweep": {"name", "path", "metric", "goal", "use", "parameters": […], "trials", "completed"},
    ///      "metrics": [the metric columns], "axes": [ParallelAxis.json, …],
    ///      "trials": [{"rank", "trial", "status", "error", "run", "parameters": […], "epoch",
    ///                  "metrics": {…}, "coordinates": [position or null per axis]}, …],
    ///      "best": ReportRun.json or null}
    ///
    /// Trials in `summary.csv` order: ranked first, then the others in trial order.
    public var json: JSONValue {
        let info = summary.info
        return .object([
            ("kind", .string("sweep")),
            ("sweep", .object([
                ("name", .string(info.name)),
                ("path", .string(summary.directory.path)),
                ("metric", .string(info.metric.rawValue)),
                ("goal", .string(info.goal.rawValue)),
                ("use", .string(info.use.rawValue)),
                ("parameters", .array(info.parameters.map(JSONValue.string))),
                ("trials", .integer(Int64(summary.rows.count))),
                ("completed", .integer(Int64(summary.completedCount))),
            ])),
            ("metrics", .array(summary.metricColumns.map(JSONValue.string))),
            ("axes", .array(axes.map(\.json))),
            ("trials", .array(summary.rows.map { row in
                .object([
                    ("rank", row.rank.map { .integer(Int64($0)) } ?? .null),
                    ("trial", .string(row.trial)),
                    ("status", .string(row.status)),
                    ("error", errors[row.trial].map(JSONValue.string) ?? .null),
                    ("run", .string(row.run)),
                    ("parameters", .array(row.parameters.map { $0.isEmpty ? .null : .string($0) })),
                    ("epoch", row.epoch.map { .integer(Int64($0)) } ?? .null),
                    ("metrics", .object(summary.metricColumns.compactMap { column in row.metrics[column].map { (column, .number($0)) } })),
                    ("coordinates", .array(coordinates(of: row).map(JSONValue.optional))),
                ])
            })),
            ("best", best?.json(configKeys: info.parameters) ?? .null),
        ])
    }
}
