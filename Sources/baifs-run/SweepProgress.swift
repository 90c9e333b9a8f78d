import Foundation
import Sweeps

/// Shows a sweep's progress on standard error, one line per trial as it starts and ends; with
/// `--quiet`, only the trials that fail.
final class SweepProgress: SweepObserver {
    private let directory: SweepDirectory
    private let parameters: [String]
    private let quiet: Bool
    private let total: Int
    private var finished = 0

    init(directory: SweepDirectory, parameters: [String], total: Int, quiet: Bool) {
        self.directory = directory
        self.parameters = parameters
        self.total = total
        self.quiet = quiet
    }

    func trialStarted(_ id: String, commandLine: TrialCommandLine) {
        guard !quiet else { return }
        let resuming = commandLine.isResume ? " (resuming from its checkpoint)" : ""
        printError("baifs-run: started \(id)\(resuming)")
    }

    func trialSkipped(_ id: String) {
        finished += 1
        guard !quiet else { return }
        printError("[\(finished)/\(total)] \(id) had completed already")
    }

    func trialBusy(_ id: String, pid: pid_t?) {
        printError("baifs-run: \(id) is being trained by another process\(pid.map { " (pid \($0))" } ?? "") right now, not by this sweep; waiting for it to end before looking at \(id) again")
    }

    func trialFinished(_ trial: SweepTrial, seconds: Double) {
        finished += 1
        let values = parameters.compactMap { key in trial.value(of: key).map { "\(key)=\($0)" } }.joined(separator: ", ")
        let what = values.isEmpty ? "" : " (\(values))"
        switch trial.status {
        case .completed:
            guard !quiet else { return }
            printError(String(format: "[%d/%d] %@ completed in %.1f s%@", finished, total, trial.id, seconds, what))
        case .interrupted:
            guard !quiet else { return }
            printError("[\(finished)/\(total)] \(trial.id) interrupted after writing a checkpoint\(what)")
        default:
            printError("[\(finished)/\(total)] \(trial.id) failed\(what): \(trial.error ?? "exit status \(trial.exitCode ?? -1)")"
                       + "\n    log: \(directory.logPath(of: trial.id))")
        }
    }
}
