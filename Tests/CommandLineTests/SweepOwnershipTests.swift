import Foundation
import Runs
import Testing

/// Who trains a sweep's trial: trials die with a sweep killed by `kill -9` (they write a
/// checkpoint and `--resume` continues them), a resume waits for a trial that another live
/// process still trains instead of running it twice, and manifest.jsonl and summary.csv agree.
@Suite(.serialized)
struct SweepOwnershipTests {
    /// Two trials of a few seconds each in a debug build (with fused kernels and bounded-rate
    /// bookkeeping, 60 epochs of 200 samples ended before a second process could see them running).
    static let slowSweep = """
        name: slow
        base: experiments/mlp.yaml
        set: {training.epochs: 200, dataset.samples: 2000}
        grid:
          optimizer.learning_rate: [0.05, 0.1]

        """

    /// The `status` of a run's summary.json, or "" while it has none.
    static func runStatus(_ run: URL) -> String {
        guard let data = FileManager.default.contents(atPath: run.appendingPathComponent("summary.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "" }
        return object["status"] as? String ?? ""
    }

    @Test func trialsDieWithAKilledSweepAndResumeFinishesThem() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(Self.slowSweep, to: "slow.yaml", in: folder)
        let sweep = folder.appendingPathComponent("runs/slow")
        let runs = ["trial-0001", "trial-0002"].map { sweep.appendingPathComponent("trials/\($0)") }
        let running = try BaifsRunProcess.start(["sweep", "slow.yaml", "--jobs", "2"], in: folder)
        let started = Date().addingTimeInterval(60)
        while Date() < started && !runs.allSatisfy({ Self.runStatus($0) == "running" }) { usleep(2_000) }
        kill(running.process.processIdentifier, SIGKILL)
        _ = try BaifsRunProcess.finish(running)

        // The orphaned trials notice at their next step, write a checkpoint and end.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !runs.allSatisfy({ Self.runStatus($0) != "running" && RunDirectoryLock.owner(of: $0.path) == nil }) {
            usleep(10_000)
        }
        #expect(runs.map(Self.runStatus) == ["interrupted", "interrupted"])
        #expect(try String(contentsOf: sweep.appendingPathComponent("logs/trial-0001.log"), encoding: .utf8)
            .contains("has ended; stopping after this step and writing a checkpoint."))
        #expect(try SweepFiles.statuses(sweep) == ["running", "running"])

        let resumed = try BaifsRunProcess.run(["sweep", "--resume", "runs/slow", "--jobs", "2"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("baifs-run: started trial-0001 (resuming from its checkpoint)"))
        #expect(try SweepFiles.statuses(sweep) == ["completed", "completed"])
        #expect(try SweepFiles.summary(sweep).dropFirst().allSatisfy { $0[2] == "completed" && !$0[0].isEmpty })
    }

    @Test func aResumeWaitsForATrialAnotherProcessTrainsInsteadOfRunningItTwice() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(Self.slowSweep, to: "slow.yaml", in: folder)
        let emitted = try BaifsRunProcess.run(["sweep", "slow.yaml", "--emit", "parallel", "--quiet"], in: folder)
        #expect(emitted.status == 0)
        let sweep = folder.appendingPathComponent("runs/slow")
        let run = sweep.appendingPathComponent("trials/trial-0001")
        // Another process (a GNU parallel job, an orphan of an earlier sweep) trains trial-0001.
        let other = try BaifsRunProcess.start(["sweep-trial", "runs/slow", "trial-0001", "--quiet"], in: folder)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && Self.runStatus(run) != "running" { usleep(2_000) }
        #expect(RunDirectoryLock.owner(of: run.path) == .some(other.process.processIdentifier))

        // A plain resume refuses the live owner, naming it.
        let refused = try BaifsRunProcess.run(["resume", "runs/slow/trials/trial-0001", "--quiet"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.standardError == "error: runs/slow/trials/trial-0001 is being trained by another process (pid \(other.process.processIdentifier)) right now; it is not run twice at once: wait for that process to end, or stop it, then resume again.\n")

        // The sweep's resume waits for it, runs the other trial meanwhile, and runs trial-0001 no second time.
        let resumed = try BaifsRunProcess.run(["sweep", "--resume", "runs/slow"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("baifs-run: trial-0001 is being trained by another process (pid \(other.process.processIdentifier)) right now, not by this sweep; waiting for it to end"))
        #expect(try BaifsRunProcess.finish(other).status == 0)
        #expect(try SweepFiles.manifest(sweep).map { $0["attempts"] as? Int } == [1, 1])
        #expect(try SweepFiles.statuses(sweep) == ["completed", "completed"])
        let log = try String(contentsOf: sweep.appendingPathComponent("logs/trial-0001.log"), encoding: .utf8)
        #expect(!log.contains("attempt 2"))
    }

    @Test func theManifestAndTheSummaryAgreeAndAFailedTrialExitsOne() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let result = try BaifsRunProcess.run(["sweep", "quick.yaml", "--quiet"], in: folder)
        #expect(result.status == 0)
        // What a second process's failed attempt on a trial left: its run completed, the manifest says failed.
        let sweep = folder.appendingPathComponent("runs/quick")
        let manifest = sweep.appendingPathComponent("manifest.jsonl")
        let lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n").map(String.init)
        let failed = lines[1].replacingOccurrences(of: "\"status\":\"completed\"", with: "\"status\":\"failed\"")
            .replacingOccurrences(of: "\"exit_code\":0", with: "\"exit_code\":1")
        try ([lines[0], failed] + lines[2...]).joined(separator: "\n").appending("\n").write(to: manifest, atomically: true, encoding: .utf8)

        let gathered = try BaifsRunProcess.run(["sweep-gather", "runs/quick"], in: folder)
        #expect(gathered.status == 1)
        #expect(gathered.standardError.contains("1 of 4 trials did not complete (trial-0002 failed)"))
        let summary = try SweepFiles.summary(sweep).dropFirst()
        #expect(summary.map { $0[1] }.last == "trial-0002")
        #expect(summary.map { [$0[0], $0[2]] } == [["1", "completed"], ["2", "completed"], ["3", "completed"], ["", "failed"]])
        #expect(zip(summary.map { $0[1] }, summary.map { $0[2] }).allSatisfy { trial, status in
            (try? SweepFiles.manifest(sweep).first { $0["id"] as? String == trial }?["status"] as? String) == status
        })
    }
}
