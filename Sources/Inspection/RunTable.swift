import Baifs
import Configuration
import Foundation
import Runs
import Sweeps

/// Many runs in one table: the config keys whose values vary between them, then their final
/// and best metrics, optionally sorted by a column.
///
///     run                        optimizer.learning_rate  final.train_loss  …  best.epoch  best.val_accuracy
///     runs/sweep/trials/trial-0002  0.1                   0.0213               14          1
public struct RunTable: Sendable {
    /// The runs, one per row: in the order of the arguments, or sorted by a column.
    private(set) var runs: [RunRecord]
    /// The config keys whose values are not the same in every run (`name` aside), in the order
    /// of the first run's config.
    public let configKeys: [String]
    /// Whether the runs' statuses differ (then a `status` column is shown).
    public let showsStatus: Bool
    /// `final.train_loss`, …, `best.epoch`, `best.val_accuracy`, …: the metrics any run has.
    public let metricColumns: [String]

    /// The run directories `argument` stands for: itself if it is a run directory, or the trials
    /// of a sweep directory (those with a run directory, in trial order).
    public static func runPaths(for argument: String) throws(RunStoreError) -> [String] {
        let trimmed = argument.count > 1 && argument.hasSuffix("/") ? String(argument.dropLast()) : argument
        if FileManager.default.fileExists(atPath: "\(trimmed)/config.yaml") { return [trimmed] }
        if let sweep = try? SweepDirectory(existing: trimmed) {
            return try sweep.readManifest().map { sweep.runPath(of: $0.id) }
                .filter { FileManager.default.fileExists(atPath: "\($0)/config.yaml") }
        }
        throw RunStoreError("\(argument) is neither a run directory (with config.yaml) nor a sweep directory (with sweep.json and manifest.jsonl).")
    }

    /// Reads the runs (and the trials of sweeps) that `arguments` name.
    public init(_ arguments: [String]) throws(RunStoreError) {
        var runs: [RunRecord] = []
        for argument in arguments {
            for path in try Self.runPaths(for: argument) { runs.append(try RunRecord.read(path)) }
        }
        self.runs = runs
        var keys: [String] = []
        for run in runs {
            for (key, _) in run.config where key != "name" && !keys.contains(key) { keys.append(key) }
        }
        configKeys = keys.filter { key in Set(runs.map { $0.configValue(key) ?? "\u{0}absent" }).count > 1 }
        showsStatus = Set(runs.map { $0.status ?? "" }).count > 1
        var columns: [String] = []
        for (label, row) in [("final", \RunRecord.final), ("best", \RunRecord.best)] {
            if label == "best" && runs.contains(where: { $0[keyPath: row]?.epoch != nil }) { columns.append("best.epoch") }
            for metric in Metric.allCases where runs.contains(where: { $0[keyPath: row]?.metrics[metric.rawValue] != nil }) {
                columns.append("\(label).\(metric.rawValue)")
            }
        }
        metricColumns = columns
    }

    /// Every column, in order.
    public var columns: [String] {
        ["run"] + configKeys + (showsStatus ? ["status"] : []) + metricColumns
    }

    /// The number in a metric column (`final.val_loss`, `best.epoch`) of `run`.
    func number(_ column: String, of run: RunRecord) -> Double? {
        let parts = column.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let row = parts[0] == "final" ? run.final : parts[0] == "best" ? run.best : nil else { return nil }
        return parts[1] == "epoch" ? row.epoch.map(Double.init) : row.metrics[parts[1]]
    }

    /// The cell of `column` for `run`, as printed.
    func cell(_ column: String, of run: RunRecord) -> String {
        if column == "run" { return run.path }
        if column == "status" { return run.status ?? "—" }
        if metricColumns.contains(column) { return reportNumber(number(column, of: run)) }
        return run.configValue(column) ?? "—"
    }

    /// The column `name` stands for: a column's name, or a bare metric (`val_accuracy`, `epoch`)
    /// for its `best.` column.
    public func column(named name: String) throws(RunStoreError) -> String {
        if columns.contains(name) { return name }
        if metricColumns.contains("best.\(name)") { return "best.\(name)" }
        let bareMetrics = metricColumns.filter { $0.hasPrefix("best.") }.map { String($0.dropFirst("best.".count)) }
        let listed = columns.dropFirst().prefix(20).map { Excerpt.plain($0, limit: 40) }.joined(separator: ", ")
            + (columns.count > 21 ? ", …" : "")
        throw RunStoreError("no column \(Excerpt.quoted(name)) to sort by\(NameSuggestion.clause(for: name, among: bareMetrics + columns)) (columns: \(listed))")
    }

    /// The table sorted by `column`, best first: accuracies from high to low, everything else
    /// from low to high (numbers as numbers); `reverse` flips the order. Runs without a value
    /// come last; ties keep their order.
    public func sorted(by name: String, reverse: Bool = false) throws(RunStoreError) -> RunTable {
        let column = try column(named: name)
        let descending = column.hasSuffix("accuracy") != reverse
        func key(_ run: RunRecord) -> (number: Double?, text: String?) {
            if metricColumns.contains(column) { return (number(column, of: run), nil) }
            let text = column == "run" ? run.path : column == "status" ? run.status : run.configValue(column)
            return (text.flatMap(Double.init), text)
        }
        var table = self
        table.runs = runs.enumerated().sorted { first, second in
            let (a, b) = (key(first.element), key(second.element))
            switch (a.number, b.number) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (_?, nil) where b.text == nil: return true
            case (nil, _?) where a.text == nil: return false
            default: break
            }
            if a.number == nil && b.number == nil, let x = a.text, let y = b.text, x != y { return descending ? x > y : x < y }
            if (a.text == nil) != (b.text == nil) { return b.text == nil && b.number == nil }
            return first.offset < second.offset
        }.map(\.element)
        return table
    }

    // MARK: - Reports

    /// The table as text, Markdown or JSON.
    public func report(_ format: ReportFormat) -> String {
        let alignments: [TextTable.Alignment] = columns.map { metricColumns.contains($0) ? .right : .left }
        var table = TextTable(headers: columns, alignments: alignments)
        table.rows = runs.map { run in columns.map { cell($0, of: run) } }
        switch format {
        case .text:
            return table.text()
        case .markdown:
            return table.markdown
        case .json:
            return JSONValue.array(runs.map { run in
                .object([
                    ("run", .string(run.path)),
                    ("name", .string(run.name)),
                    ("status", run.status.map(JSONValue.string) ?? .null),
                    ("config", .object(configKeys.map { ($0, run.configValue($0).map(JSONValue.string) ?? .null) })),
                    ("final", rowJSON(run.final)),
                    ("best", rowJSON(run.best)),
                ])
            }).text()
        }
    }

    private func rowJSON(_ row: RunRecord.SummaryRow?) -> JSONValue {
        guard let row else { return .null }
        var members: [(String, JSONValue)] = [("epoch", row.epoch.map { .integer(Int64($0)) } ?? .null)]
        for metric in Metric.allCases { if let value = row.metrics[metric.rawValue] { members.append((metric.rawValue, .number(value))) } }
        return .object(members)
    }
}
