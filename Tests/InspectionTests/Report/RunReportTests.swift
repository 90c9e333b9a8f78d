import Foundation
@testable import Inspection
import Runs
import Testing

/// `RunReport` and `ReportRun`: what a report of runs embeds, read back from the page's JSON with
/// `JSONDecoder` (which reads numbers back exactly) and compared with the runs' own files.
struct RunReportTests {
    /// The embedded document, as the page's script reads it.
    struct Document: Decodable {
        struct Run: Decodable {
            var label: String
            var path: String
            var name: String
            var status: String?
            var config: [String?]
            var final: [String: Double?]?
            var best: [String: Double?]?
            var test: [String: [String: Double]?]?
            var curves: [String: [Double?]]
        }
        var kind: String
        var config_keys: [String]
        var metrics: [String]
        var test_metrics: [String]
        var runs: [Run]
    }

    /// `summary.json`'s final and best rows, read exactly.
    struct Summary: Decodable {
        var status: String
        var final: [String: Double?]
        var best: [String: Double?]
    }

    func document(_ report: RunReport) throws -> Document {
        try JSONDecoder().decode(Document.self, from: Data(report.json.text().utf8))
    }

    @Test func runsCarryTheKeysThatDifferTheirMetricsAndTheirCurvesExactly() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try ReportFixtures.train(["name=run-a"], in: folder)
        let second = try ReportFixtures.train(["name=run-b", "optimizer.learning_rate=0.02", "training.epochs=4"], in: folder)

        let report = try RunReport([first, second])
        #expect(report.configKeys == ["optimizer.learning_rate", "training.epochs"])
        #expect(report.metrics == ["train_loss", "train_accuracy", "val_loss", "val_accuracy"])
        #expect(report.testMetrics.isEmpty)
        #expect(report.defaultTitle == "2 runs")

        let document = try document(report)
        #expect(document.kind == "runs")
        #expect(document.config_keys == report.configKeys)
        #expect(document.runs.map(\.label) == ["run-a", "run-b"])
        #expect(document.runs.map(\.path) == [first, second])
        #expect(document.runs.map(\.config) == [["0.1", "3"], ["0.02", "4"]])
        for (run, path) in zip(document.runs, [first, second]) {
            let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: URL(fileURLWithPath: "\(path)/summary.json")))
            #expect(run.status == summary.status)
            for metric in report.metrics {
                #expect(run.final?[metric] == summary.final[metric])
                #expect(run.best?[metric] == summary.best[metric])
            }
            #expect(run.best?["epoch"] == summary.best["epoch"])
            #expect(run.test == nil)
            let metrics = try MetricsTable(runDirectory: path)
            #expect(Set(run.curves.keys) == Set(metrics.columns))
            for column in metrics.columns {
                #expect(run.curves[column] == metrics.values(of: column), "\(column) of \(path)")
            }
        }
        #expect(document.runs[1].curves["epoch"] == [1, 2, 3, 4])
    }

    /// `summary.json`'s test evaluation, read exactly.
    struct TestSummary: Decodable {
        var test: [String: [String: Double]?]?
    }

    @Test func aTestEvaluationIsCarriedWhenTheRunHasATestSet() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plain = try ReportFixtures.train(["name=plain"], in: folder)
        let tested = try ReportFixtures.train(["name=tested", "dataset.test_fraction=0.25"], in: folder)
        let written = try JSONDecoder().decode(TestSummary.self, from: Data(contentsOf: URL(fileURLWithPath: "\(tested)/summary.json"))).test
        let final = try #require(written?["final"] ?? nil)
        let best = try #require(written?["best"] ?? nil)
        #expect(Set(final.keys) == ["loss", "accuracy"])

        let report = try RunReport([plain, tested])
        #expect(report.configKeys == ["dataset.test_fraction"])
        #expect(report.testMetrics == ["loss", "accuracy"])
        #expect(report.runs[0].record.test == nil)
        #expect(report.runs[1].record.test == RunRecord.TestMetrics(final: final, best: best))
        let document = try document(report)
        #expect(document.test_metrics == ["loss", "accuracy"])
        #expect(document.runs[0].test == nil)
        #expect(document.runs[1].test?["final"] == final)
        #expect(document.runs[1].test?["best"] == best)
    }

    @Test func aSweepArgumentStandsForTheRunsOfItsTrials() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = try ReportFixtures.runSweep(in: folder, leavePending: ["trial-0004"])
        let run = try ReportFixtures.train(["name=extra"], in: folder)

        let report = try RunReport([sweep.path, run])
        #expect(report.runs.map(\.label) == ["trial-0001", "trial-0002", "trial-0003", "extra"])
        #expect(report.configKeys == ["optimizer.learning_rate", "training.batch_size"])
    }

    @Test func labelsAreDirectoryNamesUnlessTwoRunsShareOne() {
        #expect(ReportRun.labels(for: ["runs/moons", "other/lr-0.02"]) == ["moons", "lr-0.02"])
        #expect(ReportRun.labels(for: ["a/runs/tiny", "b/runs/tiny", "c/x"]) == ["a/runs/tiny", "b/runs/tiny", "c/x"])
    }

    @Test func aReportOfNoRunOrOfAMalformedRunIsAnError() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pending = try ReportFixtures.runSweep(in: folder, leavePending: ["trial-0001", "trial-0002", "trial-0003", "trial-0004"])
        #expect(throws: RunStoreError("no runs to report: \(pending.path) holds no run directory yet.")) { try RunReport([pending.path]) }

        let run = try ReportFixtures.train(in: folder)
        try "epoch,step,train_loss\n1,4,0.5\n2,8,x\n".write(toFile: "\(run)/metrics.csv", atomically: true, encoding: .utf8)
        #expect(throws: RunStoreError("\(run)/metrics.csv:3:5: error: 'x' is not a number")) { try RunReport([run]) }
        #expect(throws: RunStoreError("\(folder) is neither a run directory (with config.yaml) nor a sweep directory (with sweep.json and manifest.jsonl).")) {
            try RunReport([folder])
        }
    }
}
