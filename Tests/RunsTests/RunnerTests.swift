import Baifs
import Configuration
import Foundation
@testable import Runs
import Testing

/// `Runner`: a run whose files cannot be written stops, says where it is, and is marked failed.
struct RunnerTests {
    /// Replaces the run's checkpoints folder by a file once training starts, so that the first
    /// epoch's checkpoint cannot be written.
    final class CheckpointBlocker: RunObserver {
        func runStarted(directory: RunDirectory, experiment: Experiment, model: any Module, resumedEpochs: Int) {
            let checkpoints = URL(fileURLWithPath: directory.path).appendingPathComponent("checkpoints")
            try? FileManager.default.removeItem(at: checkpoints)
            try? Data("not a folder".utf8).write(to: checkpoints)
        }
        func stepEnded(epoch: Int, batch: Int, batches: Int, loss: Double) {}
        func epochEnded(_ metrics: EpochMetrics, isBest: Bool, totalEpochs: Int) {}
    }

    @Test func aRunThatCannotWriteItsFilesIsMarkedFailedAndNamesItsDirectory() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-runner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let yaml = "dataset: {kind: two_moons, samples: 40}\nmodel: {kind: mlp, layers: [{type: linear, out: 1}]}\ntraining: {epochs: 2}\n"
        let experiment = try ExperimentLoader.load(yaml: yaml, path: "blocked.yaml")
        do {
            _ = try Runner.start(experiment, experimentPath: "blocked.yaml", outDirectory: out, observer: CheckpointBlocker(),
                                 shouldStop: { false })
            Issue.record("The run completed.")
        } catch {
            let directory = "\(out)/blocked"
            #expect(error.runDirectory == directory)
            #expect(error.description.hasPrefix("error: cannot write \(directory)/checkpoints/"))
            #expect(error.description.hasSuffix("training stopped. The run so far is in \(directory)."))
            let summary = try String(contentsOfFile: "\(directory)/summary.json", encoding: .utf8)
            #expect(summary.contains("\"status\": \"failed\""))
        }
    }

    @Test func runErrorsAreOneLineWhateverTheirPathsHold() {
        let error = RunError.store(RunStoreError("cannot create the output folder runs\n\u{1B}[2Jx: permission denied"))
        #expect(error.description == "error: cannot create the output folder runs\\n\\u{1B}[2Jx: permission denied")
        let checkpoint = RunError.checkpoint(CheckpointError("a\rb.json: cannot read the checkpoint (no such file)."))
        #expect(!checkpoint.description.contains("\r"))
    }
}
