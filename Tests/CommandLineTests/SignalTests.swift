import Foundation
import Testing

/// Signals and limits a run meets: a file size limit (SIGXFSZ) is a write error with a message and
/// no temporary file left; a hangup (SIGHUP) interrupts like Ctrl-C, with a checkpoint.
@Suite(.serialized)
struct SignalTests {
    @Test func aFileSizeLimitIsAWriteErrorNotASilentDeath() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        // 4 KiB: config.yaml fits, a checkpoint does not.
        let result = try ShellCommand.run("ulimit -f 4; exec \(BaifsRunProcess.executable.path) experiments/mlp.yaml --set training.epochs=3 --set dataset.samples=60 --quiet", in: folder)
        #expect(result.status == 1, "\(result.standardError)")
        // The first checkpoint is the first file too large.
        #expect(result.standardError.hasPrefix("error: cannot write runs/moons-mlp/checkpoints/"), "\(result.standardError)")
        #expect(result.standardError.contains(".json: File too large."))
        #expect(result.standardError.split(separator: "\n").count == 1)
        let run = folder.appendingPathComponent("runs/moons-mlp")
        let files = try FileManager.default.contentsOfDirectory(atPath: run.path) + FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path)
        #expect(!files.contains { $0.contains(".tmp-") }, "\(files)")
        #expect(try String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8).contains("\"status\": \"failed\""))
        // Without the limit, the run resumes from its start.
        let resumed = try BaifsRunProcess.run(["resume", "runs/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8).contains("\"status\": \"completed\""))
    }

    @Test func aHangupWritesACheckpointAndResumeFinishesIdentically() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let arguments = ["experiments/mlp.yaml", "--set", "training.epochs=40", "--set", "dataset.samples=300", "--quiet"]
        let straight = try BaifsRunProcess.run(arguments + ["--out", "straight"], in: folder)
        #expect(straight.status == 0)

        let running = try BaifsRunProcess.start(arguments + ["--out", "hungup"], in: folder)
        let last = folder.appendingPathComponent("hungup/moons-mlp/checkpoints/last.json")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: last.path) { usleep(2_000) }
        kill(running.process.processIdentifier, SIGHUP)
        let stopped = try BaifsRunProcess.finish(running)
        #expect(stopped.status == 130, "\(stopped.standardError)")
        #expect(stopped.lastLine == "hungup/moons-mlp")
        let summary = try String(contentsOf: folder.appendingPathComponent("hungup/moons-mlp/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"status\": \"interrupted\""))

        let resumed = try BaifsRunProcess.run(["resume", "hungup/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent("straight/moons-mlp"))
        #expect(try BaifsRunProcess.contents(of: folder.appendingPathComponent("hungup/moons-mlp")) == expected)
    }
}
