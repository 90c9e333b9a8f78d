import Foundation
import Testing

/// A four-trial sweep run for real through Slurm (a job array, then the gathering job) and
/// through GNU parallel. These need the tools, a running Slurm cluster (`.ci/start-slurm.sh`),
/// and `BAIFS_SCALE_OUT_TESTS=1`; otherwise they are skipped, with the reason in the test report.
@Suite(.serialized)
struct ScaleOutTests {
    static let requested = ProcessInfo.processInfo.environment["BAIFS_SCALE_OUT_TESTS"] == "1"
    static let slurmReady = requested && ["sbatch", "squeue"].allSatisfy(ShellCommand.isAvailable)
    static let parallelReady = requested && ShellCommand.isAvailable("parallel")

    /// The summary.csv of the quick sweep run locally, to compare the engines' results with.
    func localSummary(in folder: URL) throws -> String {
        let local = try BaifsRunProcess.run(["sweep", "quick.yaml", "--jobs", "2", "--out", "local", "--quiet"], in: folder)
        #expect(local.status == 0, "\(local.standardError)")
        return try String(contentsOf: folder.appendingPathComponent("local/quick/summary.csv"), encoding: .utf8)
    }

    /// Waits until the Slurm jobs `ids` have left the queue (`sbatch --wait` returns late).
    func waitForJobs(_ ids: [String], in folder: URL) throws {
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            let queue = try ShellCommand.run("squeue --noheader --jobs \(ids.joined(separator: ","))", in: folder)
            if queue.status == 0 && queue.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            usleep(300_000)
        }
        Issue.record("Slurm jobs \(ids) were still queued after 240 s")
    }

    @Test(.enabled(if: slurmReady, "needs BAIFS_SCALE_OUT_TESTS=1, sbatch and squeue, and a running Slurm cluster (.ci/start-slurm.sh)"),
          .timeLimit(.minutes(5)))
    func aSweepRunsAsASlurmJobArrayAndGathersItsSummary() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let emitted = try BaifsRunProcess.run(["sweep", "quick.yaml", "--emit", "slurm", "--jobs", "2"], in: folder)
        #expect(emitted.status == 0, "\(emitted.standardError)")
        let sweep = folder.appendingPathComponent(emitted.lastLine)

        let submitted = try ShellCommand.run("\(emitted.lastLine)/submit-slurm.sh", in: folder)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        let jobs = submitted.lastLine.split(separator: " ").map(String.init)
        try #require(jobs.count == 2, "submit-slurm.sh printed \(submitted.standardOutput)")
        try waitForJobs(jobs, in: folder)
        #expect(try SweepFiles.statuses(sweep) == Array(repeating: "completed", count: 4))
        let logs = try FileManager.default.contentsOfDirectory(atPath: sweep.appendingPathComponent("logs").path)
        #expect(logs.filter { $0.hasPrefix("slurm-\(jobs[0])_") }.count == 4)
        let gatherLog = try String(contentsOf: sweep.appendingPathComponent("logs/slurm-gather-\(jobs[1]).out"), encoding: .utf8)
        #expect(gatherLog.contains("all 4 trials completed"))
        let summary = try String(contentsOf: sweep.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary == (try localSummary(in: folder)))

        // Submitting again is a resume: every task finds its trial completed.
        let again = try ShellCommand.run("sbatch --parsable \(emitted.lastLine)/slurm-trials.sbatch", in: folder)
        #expect(again.status == 0, "\(again.standardError)")
        try waitForJobs([String(again.lastLine.prefix { $0 != ";" })], in: folder)
        #expect(try SweepFiles.statuses(sweep) == Array(repeating: "completed", count: 4))
        #expect(try SweepFiles.manifest(sweep).map { $0["attempts"] as? Int } == [1, 1, 1, 1])
    }

    @Test(.enabled(if: parallelReady, "needs BAIFS_SCALE_OUT_TESTS=1 and GNU parallel"), .timeLimit(.minutes(5)))
    func aSweepRunsWithGNUParallelAndGathersItsSummary() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let emitted = try BaifsRunProcess.run(["sweep", "quick.yaml", "--emit", "parallel"], in: folder)
        #expect(emitted.status == 0, "\(emitted.standardError)")
        let sweep = folder.appendingPathComponent(emitted.lastLine)
        let ran = try ShellCommand.run("parallel --will-cite --jobs 2 < \(emitted.lastLine)/jobs.txt", in: folder)
        #expect(ran.status == 0, "\(ran.standardError)")
        let gathered = try BaifsRunProcess.run(["sweep-gather", emitted.lastLine], in: folder)
        #expect(gathered.status == 0, "\(gathered.standardError)")
        #expect(gathered.lastLine == emitted.lastLine)
        #expect(try SweepFiles.statuses(sweep) == Array(repeating: "completed", count: 4))
        let summary = try String(contentsOf: sweep.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary == (try localSummary(in: folder)))
    }
}
