import ArgumentParser
import Foundation
import Runs
import Sweeps

/// `baifs-run sweep-trial SWEEP_DIR TRIAL`: run one trial of a sweep, as a Slurm array task or a
/// GNU parallel job does.
struct SweepTrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-trial",
        abstract: "Run one trial of a sweep directory (what Slurm array tasks and GNU parallel jobs run).",
        discussion: """
        TRIAL is an id (trial-0003) or a 1-based number (3, as $SLURM_ARRAY_TASK_ID gives it). A trial \
        that has completed is left as it is, so running a job list again is a resume; an interrupted \
        trial continues from its checkpoint; a failed one starts afresh. The trial's output goes to \
        SWEEP_DIR/logs/TRIAL.log and its status to the manifest. The last line on stdout is the \
        trial's run directory; the exit status is the trial's.
        """
    )

    @Argument(help: "The sweep directory, such as runs/sweep-mlp.")
    var sweepDirectory: String

    @Argument(help: "The trial: trial-0003, or 3.")
    var trial: String

    @Flag(help: "Print nothing on standard error but errors.")
    var quiet = false

    func run() throws {
        let (directory, id) = try storeOrFail { () throws(RunStoreError) in
            let directory = try SweepDirectory(existing: sweepDirectory)
            return (directory, try directory.trialID(trial, among: try directory.readManifest()))
        }
        let runPath = directory.runPath(of: id)
        let commandLine: TrialCommandLine
        switch try storeOrFail({ () throws(RunStoreError) in try directory.beginTrial(id) }) {
        case .completed:
            if !quiet { printError("baifs-run: \(id) had completed already; nothing to do.") }
            print(runPath)
            return
        case .busy(let pid):
            printError("error: \(id) is being trained by another process\(pid.map { " (pid \($0))" } ?? "") right now; it is not run twice at once: run it again once that process has ended.")
            throw ExitCode.inputOrRunFailure
        case .run(let started):
            commandLine = started
        }
        if !quiet { printError("baifs-run: running \(id); log: \(directory.logPath(of: id))") }
        let started = Date()
        let status = runInProcess(commandLine.arguments, log: directory.logPath(of: id))
        let recorded = try storeOrFail { () throws(RunStoreError) in
            let recorded = try directory.finishTrial(id, exitCode: Int(status))
            try directory.writeSummary()
            return recorded
        }
        switch recorded.status {
        case .completed:
            if !quiet { printError(String(format: "baifs-run: %@ completed in %.1f s", id, Date().timeIntervalSince(started))) }
        case .interrupted:
            printError("baifs-run: \(id) interrupted after writing a checkpoint; running it again continues it.")
        default:
            printError("baifs-run: \(id) failed: \(recorded.error ?? "exit status \(status)")\n    log: \(directory.logPath(of: id))")
        }
        print(runPath)
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs `baifs-run arguments` in this process (no child process, so that a signal from
    /// Slurm, GNU parallel or the terminal reaches the trial once and it can write a checkpoint)
    /// with standard output and error appended to `log`; returns its exit status.
    private func runInProcess(_ arguments: [String], log: String) -> Int32 {
        fflush(nil)
        let logDescriptor = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard logDescriptor >= 0 else {
            printError("error: cannot open \(log): \(String(cString: strerror(errno)))")
            return ExitCode.inputOrRunFailure.rawValue
        }
        let savedOutput = dup(STDOUT_FILENO), savedError = dup(STDERR_FILENO)
        dup2(logDescriptor, STDOUT_FILENO)
        dup2(logDescriptor, STDERR_FILENO)
        close(logDescriptor)
        var status: Int32 = 0
        do {
            var command = try BaifsRun.parseAsRoot(arguments)
            try command.run()
        } catch {
            let message = BaifsRun.message(for: error)
            if !message.isEmpty { printError(message) }
            status = BaifsRun.exitCode(for: error).rawValue
        }
        fflush(nil)
        dup2(savedOutput, STDOUT_FILENO)
        dup2(savedError, STDERR_FILENO)
        close(savedOutput)
        close(savedError)
        return status
    }
}
