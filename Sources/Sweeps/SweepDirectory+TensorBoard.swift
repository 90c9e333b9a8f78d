import Foundation
import Runs

extension SweepDirectory {
    /// Writes trial `trial`'s HParams session into its run's `tensorboard/` folder, so that
    /// `tensorboard --logdir SWEEP` lists every trial in the HParams dashboard: the session's
    /// hyperparameters are the trial's overrides (numbers as numbers), its metrics the run's
    /// scalars (their last values are the final ones) plus `best/…` scalars with the best row of
    /// `summary.json`, at the run's last step; its status success for a completed trial, failure
    /// otherwise. Nothing is written for a run without event files (`training.tensorboard: false`)
    /// or one that is still to resume.
    func writeTensorBoardSession(_ trial: SweepTrial) throws(RunStoreError) {
        let folder = "\(runPath(of: trial.id))/tensorboard"
        guard trial.status == .completed || trial.status == .failed,
              let lastStep = TensorBoardEventFile.lastSummaryStep(in: folder) else { return }
        let now = Date().timeIntervalSince1970
        let hyperparameters = trial.overrides.map { override -> (name: String, value: TensorBoardHParams.Value) in
            let parts = override.split(separator: "=", maxSplits: 1).map(String.init)
            let value = parts.count == 2 ? parts[1] : ""
            if let number = Double(value), number.isFinite { return (parts[0], .number(number)) }
            if value == "true" || value == "false" { return (parts[0], .boolean(value == "true")) }
            return (parts[0], .string(value))
        }
        let file = try TensorBoardEventFile(directory: folder, wallTime: now)
        try file.append(TensorBoardHParams.sessionStartEvent(hyperparameters: hyperparameters, groupName: trial.id, wallTime: now))
        if let best = try RunSummaryFile.read(runPath: runPath(of: trial.id))?.best {
            let metrics = RunSummaryFile.split(best).metrics
            let tags = [("train_loss", "best/loss/train"), ("val_loss", "best/loss/validation"),
                        ("train_accuracy", "best/accuracy/train"), ("val_accuracy", "best/accuracy/validation")]
            let values = tags.compactMap { column, tag in metrics[column].map { (tag: tag, value: $0) } }
            if !values.isEmpty { try file.appendScalars(values, step: lastStep, wallTime: now) }
        }
        try file.append(TensorBoardHParams.sessionEndEvent(status: trial.status == .completed ? .success : .failure, wallTime: now))
    }
}
