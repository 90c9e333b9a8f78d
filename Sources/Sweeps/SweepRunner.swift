import Baifs
import Foundation
import Runs

/// What the sweep runner reports as trials start and end, for whoever shows progress (the CLI).
public protocol SweepObserver: AnyObject {
    /// Trial `id` was started with `commandLine` (its attempt number is in the manifest).
    func trialStarted(_ id: String, commandLine: TrialCommandLine)
    /// Trial `id` had completed already and was not run again.
    func trialSkipped(_ id: String)
    /// A trial ended; `trial` is as the manifest now records it.
    func trialFinished(_ trial: SweepTrial, seconds: Double)
    /// Trial `id` is being trained by another live process (`pid` if known), such as a trial of
    /// an earlier sweep process; the runner waits for it to end, then looks at the trial again.
    func trialBusy(_ id: String, pid: pid_t?)
}

extension SweepObserver {
    /// By default a busy trial is only waited for.
    public func trialBusy(_ id: String, pid: pid_t?) {}
}

/// How far a stop has been asked for, by Ctrl-C (or SIGTERM) once or twice.
public enum SweepStopRequest: Sendable, Equatable {
    /// Keep going.
    case none
    /// Start no more trials; ask the running ones to stop after their current step and write a
    /// checkpoint (SIGINT, once).
    case afterCheckpoints
    /// Stop the running trials at once (a second SIGINT).
    case immediately
}

/// The trials a sweep ran, by how they ended.
public struct SweepOutcome: Sendable, Equatable {
    /// Trials that completed, now or before (those skipped as completed too).
    var completed: [String] = []
    /// Trials that failed or could not be started.
    var failed: [String] = []
    /// Trials stopped by a stop request after writing a checkpoint; running the sweep again resumes them.
    public var interrupted: [String] = []
    /// Trials not started because a stop was asked for.
    public var notStarted: [String] = []
}

/// Runs trials of a sweep on this machine, each as a child process of the `baifs-run`
/// executable, up to `jobs` at once, recording each one's start and end in the manifest and
/// rewriting `summary.csv` as trials end. A failed trial does not stop the others.
///
/// On Linux each child gets its own process group (Foundation's `Process` does this), so a Ctrl-C
/// in the terminal reaches the runner only; the runner hands each running child to `relayStop`
/// exactly once per press, as `stopRequest` reports it (the CLI sends it the signal). Each child
/// is given the runner's pid in
/// `BAIFS_SWEEP_PID` and stops (with a checkpoint) as soon as its parent is no longer that process,
/// so trials die with their sweep, even a sweep killed with `kill -9`, instead of going on as orphans.
///
/// A trial whose run directory is locked by a live process is not started: the runner waits for
/// that process to end (see `SweepDirectory.beginTrial`).
public struct SweepRunner {
    /// The environment variable that tells a trial the pid of the sweep that started it.
    public static let parentEnvironmentKey = "BAIFS_SWEEP_PID"

    /// The sweep whose trials run.
    let directory: SweepDirectory
    /// The `baifs-run` executable the trials run.
    public let executable: String
    /// The most trials that run at once.
    public let jobs: Int

    /// A runner of `directory`'s trials with the `baifs-run` at `executable`, `jobs` (at least 1) at once.
    public init(directory: SweepDirectory, executable: String, jobs: Int) {
        precondition(jobs >= 1, "A sweep runs at least one trial at a time; got jobs = \(jobs).")
        self.directory = directory
        self.executable = executable
        self.jobs = jobs
    }

    private struct RunningTrial {
        var id: String
        var process: Process
        var started: Date
    }

    /// Runs the trials `ids` in order and waits for them.
    ///
    /// - Parameters:
    ///   - ids: The trials to run; those that have completed already are skipped.
    ///   - observer: Told of every start and end.
    ///   - stopRequest: Polled between checks of the children (every 20 ms).
    ///   - relayStop: Called with the process identifier of every running child when
    ///     `stopRequest` changes, to pass the stop on to it.
    /// - Throws: `RunStoreError` if the sweep's files cannot be read or written.
    public func run(_ ids: [String], observer: SweepObserver?, stopRequest: () -> SweepStopRequest,
                    relayStop: (Int32) -> Void) throws(RunStoreError) -> SweepOutcome {
        var queue = ids[...]
        var running: [RunningTrial] = []
        // Trials that another live process trains, in the order they were found busy.
        var waiting: [String] = []
        var outcome = SweepOutcome()
        var passedOn = SweepStopRequest.none
        while !queue.isEmpty || !running.isEmpty || !waiting.isEmpty {
            let stop = stopRequest()
            if stop != passedOn {
                for trial in running { relayStop(trial.process.processIdentifier) }
                passedOn = stop
            }
            if stop != .none {
                outcome.notStarted += waiting + queue
                queue.removeAll()
                waiting.removeAll()
            }
            // A trial whose owner has ended is looked at again, first.
            let freed = waiting.filter { RunDirectoryLock.owner(of: directory.runPath(of: $0)) == nil }
            waiting.removeAll { freed.contains($0) }
            queue = freed[...] + queue
            while running.count < jobs, let id = queue.popFirst() {
                let commandLine: TrialCommandLine
                switch try directory.beginTrial(id) {
                case .completed:
                    outcome.completed.append(id)
                    observer?.trialSkipped(id)
                    continue
                case .busy(let pid):
                    waiting.append(id)
                    observer?.trialBusy(id, pid: pid)
                    continue
                case .run(let started):
                    commandLine = started
                }
                observer?.trialStarted(id, commandLine: commandLine)
                if let process = launch(commandLine, id: id) {
                    running.append(RunningTrial(id: id, process: process, started: Date()))
                } else {
                    let trial = try directory.finishTrial(id, exitCode: 127)
                    try directory.writeSummary()
                    outcome.failed.append(id)
                    observer?.trialFinished(trial, seconds: 0)
                }
            }
            let ended = running.filter { !$0.process.isRunning }
            running.removeAll { trial in ended.contains { $0.id == trial.id } }
            for trial in ended {
                let process = trial.process
                let code = Int(process.terminationStatus) + (process.terminationReason == .uncaughtSignal ? 128 : 0)
                let recorded = try directory.finishTrial(trial.id, exitCode: code)
                try directory.writeSummary()
                switch recorded.status {
                case .completed: outcome.completed.append(trial.id)
                case .interrupted: outcome.interrupted.append(trial.id)
                default: outcome.failed.append(trial.id)
                }
                observer?.trialFinished(recorded, seconds: Date().timeIntervalSince(trial.started))
            }
            if ended.isEmpty && (freed.isEmpty || running.count >= jobs) { usleep(20_000) }
        }
        return outcome
    }

    /// Starts `baifs-run` with `commandLine` and its output appended to the trial's log; `nil` if
    /// it cannot be started (the reason is written to the log).
    private func launch(_ commandLine: TrialCommandLine, id: String) -> Process? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // Trials share the cores: each trains on its share, so that --jobs N does not oversubscribe them.
        let threads = max(1, processorCount / max(1, jobs))
        process.arguments = commandLine.threads(threads).arguments
        let descriptor = open(directory.logPath(of: id), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return nil
        }
        let log = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.merging([Self.parentEnvironmentKey: String(getpid())]) { _, new in new }
        do {
            try process.run()
        } catch {
            directory.appendToLog("error: cannot start \(executable): \(FileProblem.reason(error))\n", of: id)
            return nil
        }
        return process
    }
}
