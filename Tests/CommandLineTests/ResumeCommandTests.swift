import Foundation
import Testing

/// `baifs-run resume` where a run's checkpoints are missing or damaged: a run killed before its
/// first checkpoint starts over, a deleted best.json is rewritten bit-identical, a damaged one
/// is reported.
@Suite(.serialized)
struct ResumeCommandTests {
    /// Eight epochs at a high learning rate, so that the best epoch (3) is not the last.
    static let bumpyRun = ["experiments/mlp.yaml", "--set", "training.epochs=8", "--set", "dataset.samples=60",
                           "--set", "optimizer.learning_rate=0.3", "--seed", "2", "--quiet"]

    @Test func aRunKilledBeforeItsFirstCheckpointResumesFromTheStart() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let straight = try BaifsRunProcess.run(Self.bumpyRun + ["--out", "straight"], in: folder)
        #expect(straight.status == 0)
        // What a kill leaves between writing config.yaml and the first checkpoint.
        let run = folder.appendingPathComponent("killed/moons-mlp")
        try FileManager.default.createDirectory(at: run.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("straight/moons-mlp/config.yaml"),
                                         to: run.appendingPathComponent("config.yaml"))
        let resumed = try BaifsRunProcess.run(["resume", "killed/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.lastLine == "killed/moons-mlp")
        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent("straight/moons-mlp"))
        #expect(expected.count >= 5)
        #expect(try BaifsRunProcess.contents(of: run) == expected)
    }

    @Test func aDeletedBestCheckpointIsRewrittenAndADamagedOneReported() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(Self.bumpyRun, in: folder)
        #expect(run.status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("runs/moons-mlp/summary.json"))) as? [String: Any]
        let bestEpoch = try #require((summary?["best"] as? [String: Any])?["epoch"] as? Int)
        try #require(bestEpoch < 8, "the best epoch must not be the last for this test")
        let best = folder.appendingPathComponent("runs/moons-mlp/checkpoints/best.json")
        let original = try Data(contentsOf: best)
        let everything = try BaifsRunProcess.contents(of: folder.appendingPathComponent("runs/moons-mlp"))

        // Only last.json (epoch 8) is left: best.json is trained again, to epoch 3.
        try FileManager.default.removeItem(at: best)
        let resumed = try BaifsRunProcess.run(["resume", "runs/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try Data(contentsOf: best) == original)
        #expect(try BaifsRunProcess.contents(of: folder.appendingPathComponent("runs/moons-mlp")) == everything)

        var damaged = original
        damaged[damaged.count / 2] = damaged[damaged.count / 2] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try damaged.write(to: best)
        let refused = try BaifsRunProcess.run(["resume", "runs/moons-mlp", "--quiet"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.standardError.hasPrefix("error: runs/moons-mlp/checkpoints/best.json: the checkpoint is damaged"))
        #expect(refused.standardError.hasSuffix("Nothing was resumed; delete runs/moons-mlp/checkpoints/best.json to have it rewritten.\n"))
    }
}
