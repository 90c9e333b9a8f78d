import Baifs
import Configuration
import Foundation
import Runs

/// The trials of a sweep ranked by its metric: what `summary.csv` holds.
///
///     rank,trial,status,optimizer.learning_rate,training.batch_size,best_epoch,best_train_loss,best_train_accuracy,best_val_loss,best_val_accuracy,run
///     1,trial-0002,completed,0.1,32,14,0.0213,1.0,0.0198,1.0,trials/trial-0002
///
/// One row per trial: the swept parameters' values, then the epoch and the metrics of the row of
/// its `summary.json` that the sweep ranks by (`best_…` or `final_…`, as `use` says). Trials
/// that completed are ranked by the metric (ties in trial order, a NaN last); the others follow,
/// unranked, in trial order with their status (`pending`, `running`, `failed`, `interrupted`,
/// or `missing` for a completed trial whose run directory is gone). The status is always the
/// manifest's: a trial is ranked only if the manifest says it completed and its run did.
public struct SweepSummary: Sendable {
    /// One trial's line.
    public struct Row: Sendable, Equatable {
        /// 1 for the best trial; `nil` for a trial that has not completed.
        public var rank: Int?
        /// The trial's id, `trial-0001`, ….
        public var trial: String
        /// The manifest's status, or `missing`.
        public var status: String
        /// The swept parameters' values, in the order of `SweepInfo.parameters`.
        public var parameters: [String]
        /// The epoch of the ranked row.
        public var epoch: Int?
        /// The ranked row's metrics, by `metrics.csv` column name.
        public var metrics: [String: Double]
        /// The trial's run directory, relative to the sweep directory.
        public var run: String
    }

    /// The sweep directory summarised.
    public let directory: SweepDirectory
    /// Its `sweep.json`: the parameters, the metric, the goal and the row ranked by.
    public let info: SweepInfo
    /// Ranked trials first, then the others in trial order.
    public let rows: [Row]
    /// The metric columns: every metric any trial has, in `metrics.csv` order, and the ranking metric.
    public let metricColumns: [String]

    /// Reads the manifest and every trial's `summary.json`.
    public static func gather(_ directory: SweepDirectory) throws(RunStoreError) -> SweepSummary {
        let info = try directory.readInfo()
        let trials = try directory.readManifest()
        var ranked: [(row: Row, value: Double)] = []
        var unranked: [Row] = []
        for trial in trials {
            var row = Row(rank: nil, trial: trial.id, status: trial.status.rawValue,
                          parameters: info.parameters.map { trial.value(of: $0) ?? "" }, epoch: nil, metrics: [:],
                          run: "trials/\(trial.id)")
            // The manifest says how each trial ended: a run directory that completed under a trial
            // the manifest calls failed (a second process's attempt) is not ranked, so that the two
            // files never disagree and the exit status follows the manifest.
            if trial.status == .completed, directory.hasCompletedRun(trial.id),
               let metrics = readRow(info.use, of: directory.runPath(of: trial.id)) {
                row.status = SweepTrial.Status.completed.rawValue
                row.epoch = metrics.epoch
                row.metrics = metrics.values
                ranked.append((row, metrics.values[info.metric.rawValue] ?? .nan))
            } else {
                if trial.status == .completed { row.status = "missing" }
                unranked.append(row)
            }
        }
        // Stable: ties keep trial order. A NaN (or absent) value ranks last.
        let sorted = ranked.enumerated().sorted { first, second in
            let (a, b) = (first.element.value, second.element.value)
            if a.isNaN != b.isNaN { return b.isNaN }
            if a != b && !a.isNaN { return info.goal == .minimize ? a < b : a > b }
            return first.offset < second.offset
        }.map(\.element.row)
        let rows = sorted.enumerated().map { index, row in
            var ranked = row
            ranked.rank = index + 1
            return ranked
        } + unranked
        let present = Set(rows.flatMap(\.metrics.keys)).union([info.metric.rawValue])
        let columns = Metric.allCases.map(\.rawValue).filter(present.contains)
        return SweepSummary(directory: directory, info: info, rows: rows, metricColumns: columns)
    }

    /// The text of `summary.csv`.
    public var csv: String {
        let prefix = info.use.rawValue + "_"
        var lines = [(["rank", "trial", "status"] + info.parameters + ["\(prefix)epoch"] + metricColumns.map { prefix + $0 } + ["run"])
            .map(Self.csvField).joined(separator: ",")]
        for row in rows {
            let cells = [row.rank.map(String.init) ?? "", row.trial, row.status] + row.parameters
                + [row.epoch.map(String.init) ?? ""] + metricColumns.map { row.metrics[$0].map(formatNumber) ?? "" } + [row.run]
            lines.append(cells.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `summary.csv` atomically.
    public func write() throws(RunStoreError) {
        try directory.write(csv, to: directory.summaryPath)
    }

    /// The number of trials that completed (and are ranked).
    public var completedCount: Int { rows.filter { $0.rank != nil }.count }

    /// A CSV field, quoted if it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The epoch and metrics of the `best` or `final` object of the run's `summary.json`.
    static func readRow(_ use: SweepRow, of runPath: String) -> (epoch: Int?, values: [String: Double])? {
        guard let summary = (try? RunSummaryFile.read(runPath: runPath)) ?? nil,
              let row = use == .best ? summary.best : summary.final else { return nil }
        let (epoch, metrics) = RunSummaryFile.split(row)
        return (epoch, metrics.filter { key, _ in Metric(rawValue: key) != nil })
    }
}

extension SweepDirectory {
    /// Gathers the trials and writes `summary.csv`, holding the sweep's lock, so that processes
    /// that finish trials at once never write an older summary over a newer one.
    @discardableResult
    public func writeSummary() throws(RunStoreError) -> SweepSummary {
        try withLock { () throws(RunStoreError) -> SweepSummary in
            let summary = try SweepSummary.gather(self)
            try summary.write()
            return summary
        }
    }
}
