import Baifs
import Foundation
import Runs

extension SweepDirectory {
    /// The id of the trial that `reference` names: an id (`trial-0003`) or a 1-based number
    /// (`3`, as a Slurm array task id gives it).
    public func trialID(_ reference: String, among trials: [SweepTrial]) throws(RunStoreError) -> String {
        if let trial = trials.first(where: { $0.id == reference }) { return trial.id }
        if let number = Int(reference), trials.indices.contains(number - 1) { return trials[number - 1].id }
        let range = trials.isEmpty ? "none" : "\(trials[0].id) (1) to \(trials[trials.count - 1].id) (\(trials.count))"
        throw RunStoreError("\(path) has no trial \(Excerpt.quoted(reference)); its trials are \(range).")
    }

    /// Whether trial `id` has a run directory whose summary says it trained to the end
    /// (`completed` or `stopped_early`).
    public func hasCompletedRun(_ id: String) -> Bool {
        (try? RunSummaryFile.read(runPath: runPath(of: id)))??.isCompleted ?? false
    }

    /// The trials a run or a resume should start: every trial that has not completed (pending,
    /// failed, interrupted, or left running by a process that died), and every completed trial
    /// whose run directory has gone missing.
    public func unfinishedTrials(_ trials: [SweepTrial]) -> [SweepTrial] {
        trials.filter { $0.status != .completed || !hasCompletedRun($0.id) }
    }

    /// What `beginTrial` found.
    public enum TrialStart: Sendable, Equatable {
        /// Run `baifs-run` with this command line; the trial is marked running.
        case run(TrialCommandLine)
        /// The trial had completed already (it is marked so).
        case completed
        /// Another live process trains in the trial's run directory (`pid` if known): the trial is
        /// left as it is, manifest included.
        case busy(pid: pid_t?)
    }

    /// Marks trial `id` running and returns the `baifs-run` arguments of its next attempt; or
    /// `.completed` if it has completed already (then it is only marked completed); or `.busy`
    /// if a live process (an orphan of a killed sweep, a Slurm task) holds its run directory's
    /// lock, so that no trial is ever run twice at once or removed while it trains.
    ///
    /// A fresh attempt is `BASE --set … --out SWEEP/trials --name ID --quiet`. A trial that was
    /// interrupted, or left `running` by a process that was killed, continues from its checkpoint
    /// with `resume SWEEP/trials/ID --quiet` (and ends as if never interrupted). Otherwise (a
    /// failed attempt) its run directory is removed first, so that the new attempt gets the same
    /// `trials/ID`; its output stays in the log, after a header line that starts every attempt.
    ///
    public func beginTrial(_ id: String) throws(RunStoreError) -> TrialStart {
        let info = try readInfo()
        return try updateManifest { (trials: inout [SweepTrial]) throws(RunStoreError) -> TrialStart in
            guard let index = trials.firstIndex(where: { $0.id == id }) else {
                throw RunStoreError("\(path) has no trial \(Excerpt.quoted(id)).")
            }
            let run = runPath(of: id)
            if let owner = RunDirectoryLock.owner(of: run) {
                return .busy(pid: owner)
            }
            if hasCompletedRun(id) {
                trials[index].status = .completed
                return .completed
            }
            let commandLine: TrialCommandLine
            // Stopped after a checkpoint, or killed (the run-directory contract resumes after kill -9).
            if trials[index].status == .interrupted || trials[index].status == .running,
               FileManager.default.fileExists(atPath: "\(run)/checkpoints/last.json") {
                commandLine = .resume(run: run)
            } else {
                if FileManager.default.fileExists(atPath: run) {
                    do {
                        try FileManager.default.removeItem(atPath: run)
                    } catch {
                        throw RunStoreError("cannot remove \(run), the run directory of a failed attempt: \(FileProblem.reason(error))")
                    }
                }
                commandLine = .train(base: info.base, overrides: trials[index].overrides, out: trialsPath, name: id)
            }
            trials[index].status = .running
            trials[index].attempts += 1
            trials[index].exitCode = nil
            trials[index].error = nil
            let started = ISO8601DateFormatter().string(from: Date())
            let header = "== \(id), attempt \(trials[index].attempts), \(started): \(commandLine.shellText(program: "baifs-run"))\n"
            appendToLog(header, of: id)
            return .run(commandLine)
        }
    }

    /// Records how trial `id`'s attempt ended, from its exit status and run directory.
    ///
    /// - Parameters:
    ///   - id: The trial, such as `trial-0003`.
    ///   - exitCode: The process's exit status, or 128 + N if signal N killed it.
    /// - Returns: The trial as recorded.
    @discardableResult
    public func finishTrial(_ id: String, exitCode: Int) throws(RunStoreError) -> SweepTrial {
        let trial = try updateManifest { (trials: inout [SweepTrial]) throws(RunStoreError) -> SweepTrial in
            guard let index = trials.firstIndex(where: { $0.id == id }) else {
                throw RunStoreError("\(path) has no trial \(Excerpt.quoted(id)).")
            }
            var trial = trials[index]
            trial.exitCode = exitCode
            switch exitCode {
            case 0 where hasCompletedRun(id):
                trial.status = .completed
                trial.error = nil
            case 0:
                trial.status = .failed
                trial.error = "exited with status 0 but \(runPath(of: id)) holds no completed summary.json"
            case 130:
                trial.status = .interrupted
                trial.error = "interrupted (exit status 130); a resume continues it from its checkpoint"
            default:
                trial.status = .failed
                trial.error = lastErrorLine(of: id) ?? (exitCode > 128 ? "killed by signal \(exitCode - 128)" : "exited with status \(exitCode)")
            }
            trials[index] = trial
            return trial
        }
        try writeTensorBoardSession(trial)
        return trial
    }

    /// Appends `text` to trial `id`'s log (created if missing).
    public func appendToLog(_ text: String, of id: String) {
        let descriptor = open(logPath(of: id), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).write(Data(text.utf8))
    }

    /// The last line of the latest attempt in trial `id`'s log that reports an error, or else
    /// its last non-empty line.
    func lastErrorLine(of id: String) -> String? {
        guard let data = FileManager.default.contents(atPath: logPath(of: id)) else { return nil }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        if let header = lines.lastIndex(where: { $0.hasPrefix("== \(id), attempt ") }) {
            lines = Array(lines[(header + 1)...])
        }
        let meaningful = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let line = meaningful.last { $0.contains("error:") } ?? meaningful.last
        return line.map { $0.count > 500 ? String($0.prefix(500)) + "…" : $0 }
    }
}
