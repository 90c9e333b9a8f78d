import Foundation
@testable import Inspection
import Runs
import Sweeps
import Testing

/// `SweepReport`: what a sweep report embeds — the ranked trials with their swept values, their
/// places on the parallel-coordinates axes and their errors, and the best trial's run — read
/// back from the page's JSON and compared with the trials' own files.
struct SweepReportTests {
    struct Document: Decodable {
        struct Sweep: Decodable {
            var name: String
            var path: String
            var metric: String
            var goal: String
            var use: String
            var parameters: [String]
            var trials: Int
            var completed: Int
        }
        struct Axis: Decodable {
            var key: String
            var label: String
            var metric: Bool
            var kind: String
            var min: Double?
            var max: Double?
        }
        struct Trial: Decodable {
            var rank: Int?
            var trial: String
            var status: String
            var error: String?
            var run: String
            var parameters: [String?]
            var epoch: Int?
            var metrics: [String: Double]
            var coordinates: [Double?]
        }
        struct Best: Decodable {
            var label: String
            var config: [String?]
            var curves: [String: [Double?]]
        }
        var kind: String
        var sweep: Sweep
        var metrics: [String]
        var axes: [Axis]
        var trials: [Trial]
        var best: Best?
    }

    /// The best row of a run's `summary.json`, read exactly.
    struct Summary: Decodable {
        var best: [String: Double?]
    }

    func document(_ report: SweepReport) throws -> Document {
        try JSONDecoder().decode(Document.self, from: Data(report.json.text().utf8))
    }

    @Test func trialsAreRankedWithTheirValuesPlacesAndErrors() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let directory = try ReportFixtures.runSweep(in: folder, fail: ["trial-0002"], leavePending: ["trial-0004"])
        let report = try SweepReport(directory)
        let document = try document(report)

        #expect(document.kind == "sweep")
        #expect(report.defaultTitle == "sweep tiny-sweep")
        #expect(document.sweep.name == "tiny-sweep" && document.sweep.path == directory.path)
        #expect(document.sweep.metric == "val_accuracy" && document.sweep.goal == "maximize" && document.sweep.use == "best")
        #expect(document.sweep.parameters == ["optimizer.learning_rate", "training.batch_size"])
        #expect(document.sweep.trials == 4 && document.sweep.completed == 2)

        // Completed trials first, by best val_accuracy from high to low (ties in trial order), then
        // the others in trial order.
        let accuracy = { (trial: String) throws -> Double in
            let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory.runPath(of: trial))/summary.json")))
            return try #require(summary.best["val_accuracy"] ?? nil)
        }
        let (one, three) = (try accuracy("trial-0001"), try accuracy("trial-0003"))
        let ranked = three > one ? ["trial-0003", "trial-0001"] : ["trial-0001", "trial-0003"]
        #expect(document.trials.map(\.trial) == ranked + ["trial-0002", "trial-0004"])
        #expect(document.trials.map(\.rank) == [1, 2, nil, nil])
        #expect(document.trials.map(\.status) == ["completed", "completed", "failed", "pending"])
        #expect(document.trials.map(\.error) == [nil, nil, "exited with status 1", nil])
        #expect(document.trials.map(\.run) == document.trials.map { "trials/\($0.trial)" })
        let values: [String: [String?]] = ["trial-0001": ["0.05", "8"], "trial-0002": ["0.05", "16"], "trial-0003": ["0.3", "8"], "trial-0004": ["0.3", "16"]]
        #expect(document.trials.allSatisfy { $0.parameters == values[$0.trial] })
        #expect(document.trials[0].metrics["val_accuracy"] == max(one, three))
        #expect(document.trials[2].metrics.isEmpty && document.trials[2].epoch == nil)

        // The axes: learning rate 0.05 to 0.3 (less than ten times: linear), batch size 8 to 16,
        // then the metric over the completed trials.
        #expect(document.axes.map(\.key) == ["optimizer.learning_rate", "training.batch_size", "val_accuracy"])
        #expect(document.axes.map(\.label) == ["optimizer.learning_rate", "training.batch_size", "best val_accuracy"])
        #expect(document.axes.map(\.kind) == ["linear", "linear", "linear"])
        #expect(document.axes.map(\.metric) == [false, false, true])
        #expect(document.axes[2].min == min(one, three) && document.axes[2].max == max(one, three))
        let metricPosition = { (value: Double) -> Double in one == three ? 0.5 : (value - min(one, three)) / (max(one, three) - min(one, three)) }
        let expectedCoordinates: [String: [Double?]] = [
            "trial-0001": [0, 0, metricPosition(one)], "trial-0002": [0, 1, nil],
            "trial-0003": [1, 0, metricPosition(three)], "trial-0004": [1, 1, nil],
        ]
        for trial in document.trials {
            #expect(trial.coordinates == expectedCoordinates[trial.trial], "\(trial.trial)")
        }

        // The best trial: its swept values and its curves, as its metrics.csv holds them.
        let best = try #require(document.best)
        #expect(best.label == ranked[0])
        #expect(best.config == values[ranked[0]])
        let metrics = try MetricsTable(runDirectory: directory.runPath(of: ranked[0]))
        for column in metrics.columns {
            #expect(best.curves[column] == metrics.values(of: column))
        }
    }

    @Test func aSweepWithNoCompletedTrialHasNoMetricAxisAndNoBestTrial() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let directory = try ReportFixtures.runSweep(in: folder, leavePending: ["trial-0001", "trial-0002", "trial-0003", "trial-0004"])
        let report = try SweepReport(directory)
        #expect(report.best == nil)
        #expect(report.axes.map(\.key) == ["optimizer.learning_rate", "training.batch_size"])
        let document = try document(report)
        #expect(document.best == nil)
        #expect(document.trials.map(\.status) == ["pending", "pending", "pending", "pending"])
        #expect(document.trials.allSatisfy { $0.coordinates.count == 2 && $0.rank == nil })
    }

    @Test func aCategoricalKeyAndALossMetricMakeTheirOwnAxes() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = """
            name: kinds
            base: tiny.yaml
            metric: val_loss
            grid:
              dataset.kind: [two_moons, circles]
            """
        let directory = try ReportFixtures.runSweep(sweep, in: folder)
        let report = try SweepReport(directory)
        #expect(report.axes.first?.scale == .categorical(categories: ["two_moons", "circles"]))
        #expect(report.axes.last?.label == "best val_loss")
        let document = try document(report)
        #expect(document.sweep.goal == "minimize")
        for trial in document.trials {
            #expect(trial.coordinates.first == (trial.parameters.first == "two_moons" ? 0 : 1))
        }
    }
}
