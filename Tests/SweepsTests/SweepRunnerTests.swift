import Foundation
import Runs
@testable import Sweeps
import TestSupport
import RunTestSupport
import Testing

/// `SweepRunner`: trials run as child processes, up to `jobs` at once; each one's exit is recorded
/// in the manifest (failures with their reason) and the others go on; a rerun resumes interrupted
/// trials and retries failed ones; a stop starts no more. The `baifs-run` it starts is a shell
/// script that acts out each trial's `outcome=…` override, putting a real run directory (trained
/// in-process) in place when the trial is to complete.
struct SweepRunnerTests {
    let folder: String
    /// The stand-in for `baifs-run`.
    let executable: String
    /// Every command line the stand-in was started with, one per line.
    let record: String

    init() throws {
        folder = try TinyRun.scratchFolder()
        let template = try TinyRun.train(in: folder).directory.path
        executable = "\(folder)/fake-baifs-run"
        record = "\(folder)/record.txt"
        let script = """
            #!/bin/sh
            # A stand-in for baifs-run that acts out the outcome=... override of its trial.
            printf '%s\\n' "$*" >> '\(record)'
            if [ "$1" = resume ]; then
              sed -i 's/"status": "interrupted"/"status": "completed"/' "$2/summary.json"
              exit 0
            fi
            out= name= outcome=
            while [ $# -gt 0 ]; do
              case "$1" in
                --out) out=$2; shift ;;
                --name) name=$2; shift ;;
                --set) outcome=${2#outcome=}; shift ;;
              esac
              shift
            done
            # How many trials are running now, this one included.
            : > '\(folder)/running-'"$name"
            ls '\(folder)' | grep -c '^running-' >> '\(folder)/concurrency.txt'
            trap 'rm -f "\(folder)/running-$name"' EXIT
            case "$outcome" in
              complete) cp -R '\(template)' "$out/$name" ;;
              slow) sleep 0.3; cp -R '\(template)' "$out/$name" ;;
              fail) mkdir "$out/$name"; echo "error: the fake trial failed"; echo "a line after the error"; exit 1 ;;
              fail-once)
                if [ -e "$out/$name.failed" ]; then cp -R '\(template)' "$out/$name"
                else touch "$out/$name.failed"; mkdir "$out/$name"; echo "error: first attempt"; exit 3; fi ;;
              interrupt)
                cp -R '\(template)' "$out/$name"
                sed -i 's/"status": "completed"/"status": "interrupted"/' "$out/$name/summary.json"
                exit 130 ;;
              signal) kill -9 $$ ;;
              silent) ;;
              wait) trap 'exit 130' INT; i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done ;;
            esac
            exit 0

            """
        try script.write(toFile: executable, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A sweep directory with one trial per outcome, swept as the parameter `outcome`.
    func sweep(_ outcomes: [String]) throws -> SweepDirectory {
        let info = SweepInfo(name: "fake", sweepFile: "sweep.yaml", base: "\(folder)/experiment.yaml", metric: .validationAccuracy,
                             goal: .maximize, use: .best, parameters: ["outcome"], trialCount: outcomes.count)
        let trials = outcomes.enumerated().map { SweepTrial(id: Self.id($0.offset + 1), overrides: ["outcome=\($0.element)"]) }
        return try SweepDirectory.create(for: SweepPlan(info: info, trials: trials, sweepText: "base: experiment.yaml\n"), in: folder)
    }

    static func id(_ number: Int) -> String { String(format: "trial-%04d", number) }

    /// The command lines the stand-in was started with.
    func commandLines() -> [String] {
        ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// The `--threads` a trial gets when `jobs` run at once.
    func threads(jobs: Int) -> Int { max(1, ProcessInfo.processInfo.activeProcessorCount / jobs) }

    // MARK: - Outcomes

    @Test func failuresAreRecordedWithTheirReasonAndTheOthersGoOn() throws {
        defer { cleanUp() }
        let directory = try sweep(["complete", "fail", "signal", "complete", "silent", "interrupt"])
        let ids = (1...6).map(Self.id)
        let observer = Observer()
        let outcome = try SweepRunner(directory: directory, executable: executable, jobs: 1)
            .run(ids, observer: observer, stopRequest: { .none }, relayStop: { _ in })

        #expect(outcome == SweepOutcome(completed: [ids[0], ids[3]], failed: [ids[1], ids[2], ids[4]], interrupted: [ids[5]], notStarted: []))
        let trials = try directory.readManifest()
        #expect(trials.map(\.id) == ids)
        #expect(trials.map(\.status) == [.completed, .failed, .failed, .completed, .failed, .interrupted])
        #expect(trials.map(\.exitCode) == [0, 1, 137, 0, 0, 130])
        #expect(trials.map(\.attempts) == [1, 1, 1, 1, 1, 1])
        #expect(trials.map(\.error) == [
            nil, "error: the fake trial failed", "killed by signal 9", nil,
            "exited with status 0 but \(directory.runPath(of: ids[4])) holds no completed summary.json",
            "interrupted (exit status 130); a resume continues it from its checkpoint",
        ])

        // One at a time, in order, each told to the observer as it starts and ends.
        #expect(observer.events == ids.flatMap { ["started \($0)", "finished \($0)"] })
        #expect(observer.arguments[ids[0]] == [try directory.readInfo().base, "--set", "outcome=complete", "--out", directory.trialsPath,
                                               "--name", ids[0], "--quiet"])
        #expect(commandLines() == zip(ids, ["complete", "fail", "signal", "complete", "silent", "interrupt"]).map { id, outcome in
            "\(folder)/experiment.yaml --set outcome=\(outcome) --out \(directory.trialsPath) --name \(id) --quiet --threads \(threads(jobs: 1))"
        })

        // summary.csv, rewritten as trials end: the completed ranked (ties in trial order), the others after.
        let summary = try SweepSummary.gather(directory)
        #expect(summary.rows.map { "\($0.rank.map(String.init) ?? "-") \($0.trial) \($0.status) \($0.parameters[0])" } == [
            "1 trial-0001 completed complete", "2 trial-0004 completed complete", "- trial-0002 failed fail",
            "- trial-0003 failed signal", "- trial-0005 failed silent", "- trial-0006 interrupted interrupt",
        ])
        #expect(try String(contentsOfFile: directory.summaryPath, encoding: .utf8) == summary.csv)
    }

    /// A rerun of the unfinished trials resumes the interrupted one from its run directory and
    /// starts the failed one afresh (its old run directory removed first); a completed trial is
    /// skipped without starting anything.
    @Test func aRerunResumesInterruptedTrialsRetriesFailedOnesAndSkipsCompletedOnes() throws {
        defer { cleanUp() }
        let directory = try sweep(["complete", "fail-once", "interrupt"])
        let ids = (1...3).map(Self.id)
        let runner = SweepRunner(directory: directory, executable: executable, jobs: 1)
        let first = try runner.run(ids, observer: nil, stopRequest: { .none }, relayStop: { _ in })
        #expect(first == SweepOutcome(completed: [ids[0]], failed: [ids[1]], interrupted: [ids[2]], notStarted: []))
        #expect(try directory.readManifest().map(\.error) == [nil, "error: first attempt", "interrupted (exit status 130); a resume continues it from its checkpoint"])
        let unfinished = directory.unfinishedTrials(try directory.readManifest()).map(\.id)
        #expect(unfinished == [ids[1], ids[2]])

        let observer = Observer()
        let second = try runner.run(ids, observer: observer, stopRequest: { .none }, relayStop: { _ in })
        #expect(second == SweepOutcome(completed: ids, failed: [], interrupted: [], notStarted: []))
        #expect(observer.events == ["skipped trial-0001", "started trial-0002", "finished trial-0002", "started trial-0003", "finished trial-0003"])
        #expect(observer.arguments[ids[2]] == ["resume", directory.runPath(of: ids[2]), "--quiet"])
        #expect(commandLines().count == 5)
        #expect(commandLines().suffix(2) == [
            "\(folder)/experiment.yaml --set outcome=fail-once --out \(directory.trialsPath) --name trial-0002 --quiet --threads \(threads(jobs: 1))",
            "resume \(directory.runPath(of: ids[2])) --quiet --threads \(threads(jobs: 1))",
        ])
        let trials = try directory.readManifest()
        #expect(trials.map(\.status) == [.completed, .completed, .completed])
        #expect(trials.map(\.attempts) == [1, 2, 2])
        #expect(trials.map(\.exitCode) == [0, 0, 0])
        #expect(trials.map(\.error) == [nil, nil, nil])
        let log = try String(contentsOfFile: directory.logPath(of: ids[1]), encoding: .utf8)
        #expect(log.components(separatedBy: "\n== trial-0002, attempt ").count == 2 && log.hasPrefix("== trial-0002, attempt 1, "))
        #expect(log.contains("\nerror: first attempt\n== trial-0002, attempt 2, "))
        #expect(try SweepSummary.gather(directory).rows.map(\.rank) == [1, 2, 3])
    }

    /// A `baifs-run` that cannot be started fails every trial with status 127 and the reason in its log.
    @Test func aTrialThatCannotStartFailsWith127() throws {
        defer { cleanUp() }
        let directory = try sweep(["complete", "complete"])
        let ids = [Self.id(1), Self.id(2)]
        let outcome = try SweepRunner(directory: directory, executable: "\(folder)/missing-baifs-run", jobs: 1)
            .run(ids, observer: nil, stopRequest: { .none }, relayStop: { _ in })
        #expect(outcome == SweepOutcome(completed: [], failed: ids, interrupted: [], notStarted: []))
        let trials = try directory.readManifest()
        #expect(trials.map(\.exitCode) == [127, 127])
        for trial in trials {
            #expect(trial.error?.hasPrefix("error: cannot start \(folder)/missing-baifs-run: ") == true, "\(trial.error ?? "nil")")
        }
    }

    // MARK: - Concurrency and stopping

    /// With two jobs no more than two trials run at once; the manifest and summary stay in trial
    /// order whichever ends first (the slow first trial ends after the second).
    @Test func atMostJobsTrialsRunAtOnceAndTheRecordsKeepTrialOrder() throws {
        defer { cleanUp() }
        let directory = try sweep(["slow", "complete", "fail", "complete", "complete"])
        let ids = (1...5).map(Self.id)
        let outcome = try SweepRunner(directory: directory, executable: executable, jobs: 2)
            .run(ids, observer: nil, stopRequest: { .none }, relayStop: { _ in })
        #expect(Set(outcome.completed) == [ids[0], ids[1], ids[3], ids[4]] && outcome.failed == [ids[2]])
        #expect(outcome.interrupted.isEmpty && outcome.notStarted.isEmpty)
        let trials = try directory.readManifest()
        #expect(trials.map(\.id) == ids)
        #expect(trials.map(\.status) == [.completed, .completed, .failed, .completed, .completed])
        #expect(try SweepSummary.gather(directory).rows.map(\.trial) == [ids[0], ids[1], ids[3], ids[4], ids[2]])
        let counts = try String(contentsOfFile: "\(folder)/concurrency.txt", encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(counts.count == 5 && counts.allSatisfy { (1...2).contains($0) })
        #expect(commandLines().allSatisfy { $0.hasSuffix(" --quiet --threads \(threads(jobs: 2))") })
    }

    @Test func aStopBeforeTheFirstTrialStartsNothing() throws {
        defer { cleanUp() }
        let directory = try sweep(["complete", "complete"])
        let ids = [Self.id(1), Self.id(2)]
        let outcome = try SweepRunner(directory: directory, executable: executable, jobs: 1)
            .run(ids, observer: nil, stopRequest: { .afterCheckpoints }, relayStop: { _ in })
        #expect(outcome == SweepOutcome(completed: [], failed: [], interrupted: [], notStarted: ids))
        #expect(try directory.readManifest().map(\.status) == [.pending, .pending])
        #expect(commandLines().isEmpty)
    }

    /// A stop while a trial runs is handed to `relayStop` (here SIGINT, as the CLI sends it) (it exits 130: interrupted) and starts no
    /// more trials.
    @Test func aStopInterruptsTheRunningTrialAndStartsNoMore() throws {
        defer { cleanUp() }
        let directory = try sweep(["wait", "complete", "complete"])
        let ids = (1...3).map(Self.id)
        let observer = Observer()
        let outcome = try withNoSignalsBlocked {
            try SweepRunner(directory: directory, executable: executable, jobs: 1)
                .run(ids, observer: observer, stopRequest: { observer.events.isEmpty ? .none : .afterCheckpoints },
                     relayStop: { kill($0, SIGINT) })
        }
        #expect(outcome == SweepOutcome(completed: [], failed: [], interrupted: [ids[0]], notStarted: [ids[1], ids[2]]))
        #expect(try directory.readManifest().map(\.status) == [.interrupted, .pending, .pending])
        // Had SIGINT not reached it, the trial would have slept on for 10 s and exited 0 (failed, without a summary).
        #expect(try directory.readManifest()[0].exitCode == 130)
    }

    /// Runs `body` with no signal blocked on this thread, as on `baifs-run`'s main thread. A child
    /// process starts with the signal mask of the thread that starts it, and the threads tests
    /// run on block SIGINT (and SIGCHLD), so a relayed SIGINT would wait in the child unseen.
    func withNoSignalsBlocked<Result>(_ body: () throws -> Result) rethrows -> Result {
        var none = sigset_t(), saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        return try body()
    }
}

/// Records what the runner reports, in order.
private final class Observer: SweepObserver {
    var events: [String] = []
    var arguments: [String: [String]] = [:]

    func trialStarted(_ id: String, commandLine: TrialCommandLine) {
        events.append("started \(id)")
        self.arguments[id] = commandLine.arguments
    }

    func trialSkipped(_ id: String) {
        events.append("skipped \(id)")
    }

    func trialFinished(_ trial: SweepTrial, seconds: Double) {
        events.append("finished \(trial.id)")
    }
}
