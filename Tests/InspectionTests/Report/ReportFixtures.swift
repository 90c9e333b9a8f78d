import Configuration
import Foundation
import Runs
import RunTestSupport
import Sweeps

/// Tiny runs (`TinyRun`) and sweeps of them trained in-process into scratch folders, for the
/// tests of the reports.
enum ReportFixtures {
    /// A sweep of `TinyRun.yaml` over two learning rates and two batch sizes: four trials.
    static let sweep = """
        name: tiny-sweep
        base: tiny.yaml
        grid:
          optimizer.learning_rate: [0.05, 0.3]
          training.batch_size: [8, 16]

        """

    /// A new empty folder under the temporary directory with `TinyRun.yaml` in it as `tiny.yaml`,
    /// the base of sweeps; the caller removes it.
    static func scratchFolder() throws -> String {
        let folder = try TinyRun.scratchFolder()
        try TinyRun.yaml.write(toFile: "\(folder)/tiny.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    /// Trains `TinyRun.yaml` with `overrides` into a new run directory under `folder/runs` and
    /// returns its path.
    static func train(_ overrides: [String] = [], in folder: String) throws -> String {
        try TinyRun.train(overrides: overrides, in: "\(folder)/runs").directory.path
    }

    /// Creates the sweep `text` in `folder/runs` and trains its trials in-process, as `baifs-run
    /// sweep` would; `fail` trials are recorded as failed (exit status 1, nothing trained) and
    /// `leavePending` ones are left alone. Returns the sweep directory.
    static func runSweep(_ text: String = sweep, in folder: String, fail: Set<String> = [],
                         leavePending: Set<String> = []) throws -> SweepDirectory {
        let plan = try SweepLoader.load(yaml: text, path: "\(folder)/sweep.yaml")
        let directory = try SweepDirectory.create(for: plan, in: "\(folder)/runs")
        for trial in plan.trials where !leavePending.contains(trial.id) {
            _ = try directory.beginTrial(trial.id)
            if fail.contains(trial.id) {
                try directory.finishTrial(trial.id, exitCode: 1)
                continue
            }
            let experiment = try ExperimentLoader.load(contentsOf: plan.info.base, overrides: trial.overrides + ["name=\(trial.id)"])
            _ = try Runner.start(experiment, experimentPath: plan.info.base, outDirectory: directory.trialsPath, observer: nil) { false }
            try directory.finishTrial(trial.id, exitCode: 0)
        }
        try directory.writeSummary()
        return directory
    }
}
