import Baifs
import Configuration
import Foundation
import Runs

/// Small run directories trained in-process by `Runner`, in scratch folders, for the tests of
/// what reads runs back (checkpoints, diffs, tables, sweeps). Each trains in milliseconds.
public enum TinyRun {
    /// Two moons (40 samples, 10 for validation), a 2 → 4 → 1 tanh network, SGD with momentum:
    /// 3 epochs of 4 batches.
    public static let yaml = """
        name: tiny
        seed: 3
        dataset: {kind: two_moons, samples: 40, noise: 0.1, validation_fraction: 0.25}
        model:
          kind: mlp
          layers:
            - {type: linear, out: 4}
            - tanh
            - {type: linear, out: 1}
        loss: mse
        optimizer: {kind: sgd, learning_rate: 0.1, momentum: 0.9}
        training: {epochs: 3, batch_size: 8, monitor: val_accuracy}

        """

    /// A new empty folder under the temporary directory; the caller removes it.
    public static func scratchFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Trains `yaml` with `overrides` into a new run directory under `folder` and returns it.
    ///
    /// - Parameter stopAfterSteps: Asks the run to stop after that many optimizer steps (the run
    ///   then ends `interrupted`, its `last.json` taken mid-epoch), or never if `nil`.
    @discardableResult
    public static func train(_ yaml: String = TinyRun.yaml, overrides: [String] = [], in folder: String,
                             stopAfterSteps: Int? = nil) throws -> RunResult {
        let path = "\(folder)/experiment.yaml"
        let experiment = try ExperimentLoader.load(yaml: yaml, path: path, overrides: overrides)
        let steps = StepCounter()
        return try Runner.start(experiment, experimentPath: path, outDirectory: folder, observer: steps) {
            stopAfterSteps.map { steps.count >= $0 } ?? false
        }
    }
}

/// Counts the optimizer steps a run has taken, for `TinyRun.train(stopAfterSteps:)`.
private final class StepCounter: RunObserver, @unchecked Sendable {
    var count = 0
    func runStarted(directory: RunDirectory, experiment: Experiment, model: any Module, resumedEpochs: Int) {}
    func stepEnded(epoch: Int, batch: Int, batches: Int, loss: Double) { count += 1 }
    func epochEnded(_ metrics: EpochMetrics, isBest: Bool, totalEpochs: Int) {}
}
