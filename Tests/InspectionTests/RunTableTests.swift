import Foundation
@testable import Inspection
import Runs
@testable import Sweeps
import TestSupport
import RunTestSupport
import Testing

/// `RunTable`: runs and the trials of sweeps in one table, the config keys that vary, the final
/// and best metrics, sorting (numbers as numbers, accuracies high to low, runs without a value
/// last), and the text, Markdown and JSON reports, on tiny runs trained in-process. Expected cells
/// are computed here from the runs' `summary.json`.
struct RunTableTests {
    let folder: String

    init() throws {
        folder = try TinyRun.scratchFolder()
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Three runs that differ only in batch size, 8, 16 and 5 (in that order), named to sort
    /// by name in that order too.
    func threeRuns() throws -> [String] {
        try [("a", 8), ("b", 16), ("c", 5)].map { name, batchSize in
            try TinyRun.train(overrides: ["name=run-\(name)", "training.batch_size=\(batchSize)"], in: folder).directory.path
        }
    }

    /// The final and best rows of `summary.json`, read back exactly.
    struct SummaryFile: Decodable {
        var status: String
        var final: [String: Double?]
        var best: [String: Double?]

        func value(_ column: String) -> Double? {
            let parts = column.split(separator: ".").map(String.init)
            return (parts[0] == "final" ? final : best)[parts[1]] ?? nil
        }
    }

    func summary(_ run: String) throws -> SummaryFile {
        try JSONDecoder().decode(SummaryFile.self, from: Data(contentsOf: URL(fileURLWithPath: "\(run)/summary.json")))
    }

    static let metricColumns = ["final.train_loss", "final.train_accuracy", "final.val_loss", "final.val_accuracy", "best.epoch",
                                "best.train_loss", "best.train_accuracy", "best.val_loss", "best.val_accuracy"]

    // MARK: - Columns

    @Test func columnsAreTheVaryingConfigKeysThenTheMetrics() throws {
        defer { cleanUp() }
        let runs = try threeRuns()
        let table = try RunTable(runs)
        #expect(table.runs.map(\.path) == runs)
        #expect(table.configKeys == ["training.batch_size"])
        #expect(!table.showsStatus)
        #expect(table.metricColumns == Self.metricColumns)
        #expect(table.columns == ["run", "training.batch_size"] + Self.metricColumns)
        #expect(try table.runs.map { run in table.columns.map { table.cell($0, of: run) } } == runs.enumerated().map { index, run in
            let summary = try summary(run)
            return [run, ["8", "16", "5"][index]] + Self.metricColumns.map { reportNumber(summary.value($0)) }
        })
    }

    /// A run interrupted mid-way brings a `status` column; a run without validation has no
    /// validation metrics (`—`), and the key that differs is shown.
    @Test func statusAndAbsentMetricsAreShown() throws {
        defer { cleanUp() }
        let complete = try TinyRun.train(in: folder).directory.path
        let stopped = try TinyRun.train(in: folder, stopAfterSteps: 5).directory.path
        let unvalidated = try TinyRun.train(overrides: ["dataset.validation_fraction=0", "training.monitor=train_loss"], in: folder)
            .directory.path
        let table = try RunTable([complete, stopped, unvalidated])
        #expect(table.showsStatus)
        #expect(table.configKeys == ["dataset.validation_fraction", "training.monitor"])
        #expect(table.runs.map { table.cell("status", of: $0) } == ["completed", "interrupted", "completed"])
        #expect(table.cell("final.val_loss", of: table.runs[2]) == "—")
        #expect(table.cell("best.epoch", of: table.runs[1]) == "1")
        #expect(table.cell("dataset.validation_fraction", of: table.runs[2]) == "0.0")
    }

    // MARK: - Sorting

    @Test func configNumbersSortAsNumbersAndReverseFlipsThem() throws {
        defer { cleanUp() }
        let runs = try threeRuns()
        let table = try RunTable(runs)
        // As text "16" < "5" < "8"; as numbers 5 < 8 < 16.
        #expect(try table.sorted(by: "training.batch_size").runs.map(\.path) == [runs[2], runs[0], runs[1]])
        #expect(try table.sorted(by: "training.batch_size", reverse: true).runs.map(\.path) == [runs[1], runs[0], runs[2]])
        #expect(try table.sorted(by: "run", reverse: true).runs.map(\.path) == [runs[2], runs[1], runs[0]])
    }

    /// Losses sort low to high, accuracies high to low (a bare metric is its `best.` column), ties
    /// in the order given.
    @Test func metricsSortBestFirstAndTiesKeepTheirOrder() throws {
        defer { cleanUp() }
        let runs = try threeRuns()
        let table = try RunTable(runs)
        for column in ["final.train_loss", "val_accuracy", "best.val_loss", "final.train_accuracy", "epoch"] {
            let full = column.contains(".") ? column : "best.\(column)"
            let values = try runs.map { try #require(try summary($0).value(full)) }
            let descending = full.hasSuffix("accuracy")
            // Ties keep the order given: sort the indices by value, then by index.
            let expected = runs.indices.sorted { i, j in
                values[i] != values[j] ? (descending ? values[i] > values[j] : values[i] < values[j]) : i < j
            }.map { runs[$0] }
            #expect(try table.sorted(by: column).runs.map(\.path) == expected, "\(column): \(values)")
        }
    }

    /// Runs without a value come last in either direction.
    @Test func runsWithoutAValueComeLast() throws {
        defer { cleanUp() }
        let unvalidated = try TinyRun.train(overrides: ["dataset.validation_fraction=0", "training.monitor=train_loss"], in: folder)
            .directory.path
        let runs = try threeRuns()
        let table = try RunTable([unvalidated] + runs)
        for reverse in [false, true] {
            #expect(try table.sorted(by: "final.val_loss", reverse: reverse).runs.last?.path == unvalidated)
            #expect(try table.sorted(by: "val_accuracy", reverse: reverse).runs.last?.path == unvalidated)
        }
    }

    @Test func anUnknownColumnIsNamedWithASuggestion() throws {
        defer { cleanUp() }
        let table = try RunTable(try threeRuns())
        #expect(throws: RunStoreError("no column 'val_acuracy' to sort by; did you mean 'val_accuracy'? (columns: training.batch_size, "
                                      + Self.metricColumns.joined(separator: ", ") + ")")) {
            try table.sorted(by: "val_acuracy")
        }
        #expect(throws: RunStoreError("no column 'speed' to sort by (columns: training.batch_size, "
                                      + Self.metricColumns.joined(separator: ", ") + ")")) {
            try table.sorted(by: "speed")
        }
    }

    // MARK: - Sweeps and paths

    /// A sweep directory stands for its trials that have a run directory, in trial order.
    @Test func aSweepStandsForItsTrialsWithRuns() throws {
        defer { cleanUp() }
        let info = SweepInfo(name: "tiny-sweep", sweepFile: "sweep.yaml", base: "\(folder)/experiment.yaml", metric: .validationAccuracy,
                             goal: .maximize, use: .best, parameters: ["training.batch_size"], trialCount: 3)
        let trials = [8, 16, 5].enumerated().map { SweepTrial(id: String(format: "trial-%04d", $0.offset + 1), overrides: ["training.batch_size=\($0.element)"]) }
        let sweep = try SweepDirectory.create(for: SweepPlan(info: info, trials: trials, sweepText: "base: experiment.yaml\n"), in: folder)
        for trial in [trials[2], trials[0]] {
            try TinyRun.train(overrides: trial.overrides + ["name=\(trial.id)"], in: sweep.trialsPath)
        }
        #expect(try RunTable.runPaths(for: sweep.path + "/") == [sweep.runPath(of: "trial-0001"), sweep.runPath(of: "trial-0003")])
        let single = try TinyRun.train(in: folder).directory.path
        let table = try RunTable([single + "/", sweep.path])
        #expect(table.runs.map(\.path) == [single, sweep.runPath(of: "trial-0001"), sweep.runPath(of: "trial-0003")])
        #expect(table.runs.map { table.cell("training.batch_size", of: $0) } == ["8", "8", "5"])
    }

    @Test func aFolderThatIsNeitherIsAnError() throws {
        defer { cleanUp() }
        #expect(throws: RunStoreError("\(folder) is neither a run directory (with config.yaml) nor a sweep directory (with sweep.json and manifest.jsonl).")) {
            try RunTable([folder])
        }
    }

    // MARK: - Reports

    @Test func markdownHasOneRowPerRunWithMetricsRightAligned() throws {
        defer { cleanUp() }
        let runs = try threeRuns()
        let markdown = try RunTable(runs).report(.markdown)
        var expected = "| run | training.batch_size | " + Self.metricColumns.joined(separator: " | ") + " |\n"
        expected += "|---|---|" + String(repeating: "---:|", count: Self.metricColumns.count) + "\n"
        for (run, batchSize) in zip(runs, ["8", "16", "5"]) {
            let summary = try summary(run)
            expected += "| \(run) | \(batchSize) | " + Self.metricColumns.map { reportNumber(summary.value($0)) }.joined(separator: " | ") + " |\n"
        }
        #expect(markdown == expected)
    }

    /// Text columns line up: every line is as long as the header (the last column is a metric,
    /// right-aligned), and each line's cells are the table's cells.
    @Test func textLinesUpTheCells() throws {
        defer { cleanUp() }
        let runs = try threeRuns()
        let table = try RunTable(runs).sorted(by: "training.batch_size")
        let lines = table.report(.text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 5 && lines.last == "")
        let header = lines[0]
        #expect(header.hasPrefix("run" + String(repeating: " ", count: runs[0].count - 3) + "  training.batch_size  final.train_loss  "))
        #expect(header.hasSuffix("  best.val_loss  best.val_accuracy"))
        for (line, run) in zip(lines[1...3], table.runs) {
            #expect(line.count == header.count)
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(cells == table.columns.map { table.cell($0, of: run) })
            // The batch size sits under the start of its header (left-aligned); each metric ends under the end of its header.
            let batchSize = table.cell("training.batch_size", of: run)
            #expect(line.dropFirst(run.path.count + 2).hasPrefix(batchSize + " "))
        }
    }

    /// JSON gives every run's name, status, varying config and its rows, numbers exact.
    @Test func jsonHoldsExactNumbers() throws {
        defer { cleanUp() }
        let runs = try threeRuns()
        struct Entry: Decodable {
            var run: String
            var name: String
            var status: String?
            var config: [String: String?]
            var final: [String: Double?]
            var best: [String: Double?]
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(try RunTable(runs).report(.json).utf8))
        #expect(entries.map(\.run) == runs)
        #expect(entries.map(\.name) == ["run-a", "run-b", "run-c"])
        #expect(entries.map(\.status) == ["completed", "completed", "completed"])
        #expect(entries.map(\.config) == [["training.batch_size": "8"], ["training.batch_size": "16"], ["training.batch_size": "5"]])
        for (entry, run) in zip(entries, runs) {
            let summary = try summary(run)
            #expect(Set(entry.final.keys) == ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy"])
            for key in entry.final.keys {
                #expect(entry.final[key]??.bitPattern == summary.final[key]??.bitPattern, "\(key)")
                #expect(entry.best[key]??.bitPattern == summary.best[key]??.bitPattern, "\(key)")
            }
        }
    }
}
