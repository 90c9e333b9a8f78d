import Foundation
import Runs
import Testing

/// Every command that reads a checkpoint (resume, init_from, infer, export, diff, graph) verifies
/// its checksum: one changed digit is an error naming the file, never a run that goes on with
/// other numbers.
@Suite(.serialized)
struct DamagedCheckpointTests {
    static let quickRun = ["experiments/mlp.yaml", "--set", "training.epochs=4", "--set", "dataset.samples=80", "--quiet"]

    /// `text` with the first digit after `"values": [` changed to another digit.
    static func oneDigitChanged(_ text: String) throws -> String {
        let range = try #require(text.range(of: "\"values\": [-0.") ?? text.range(of: "\"values\": [0."))
        var characters = Array(text)
        let index = text.distance(from: text.startIndex, to: range.upperBound)
        characters[index] = characters[index] == "1" ? "2" : "1"
        return String(characters)
    }

    @Test func oneChangedDigitIsCaughtByEveryReader() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(Self.quickRun, in: folder)
        let other = try BaifsRunProcess.run(Self.quickRun + ["--name", "other"], in: folder)
        #expect(run.status == 0 && other.status == 0)
        let last = folder.appendingPathComponent("runs/moons-mlp/checkpoints/last.json")
        let text = try String(contentsOf: last, encoding: .utf8)
        #expect(text.hasSuffix("\"\n}\n") && text.contains(",\n  \"checksum\": \"sha256:"))
        try Self.oneDigitChanged(text).write(to: last, atomically: true, encoding: .utf8)
        let damaged = "runs/moons-mlp/checkpoints/last.json: the checkpoint is damaged: its content does not match its \"checksum\""

        let summary = folder.appendingPathComponent("runs/moons-mlp/summary.json")
        let summaryBefore = try Data(contentsOf: summary)
        let resumed = try BaifsRunProcess.run(["resume", "runs/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 1)
        #expect(resumed.standardError.hasPrefix("error: \(damaged)"), "\(resumed.standardError)")
        #expect(try Data(contentsOf: summary) == summaryBefore)

        try "x0,x1\n0.1,0.2\n".write(to: folder.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        let infer = try BaifsRunProcess.run(["infer", "runs/moons-mlp/checkpoints/last.json", "--input", "points.csv"], in: folder)
        #expect(infer.status == 1)
        #expect(infer.standardError.hasPrefix("error: \(damaged)"), "\(infer.standardError)")
        #expect(infer.standardOutput.isEmpty)

        let export = try BaifsRunProcess.run(["export", "runs/moons-mlp/checkpoints/last.json"], in: folder)
        #expect(export.status == 1)
        #expect(export.standardError.hasPrefix("error: \(damaged)"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/moons-mlp/checkpoints/last.safetensors").path))

        let diff = try BaifsRunProcess.run(["diff", "runs/moons-mlp", "runs/other"], in: folder)
        #expect(diff.status == 2)
        #expect(diff.standardError.hasPrefix("error: \(damaged)"))

        let graph = try BaifsRunProcess.run(["graph", "experiments/mlp.yaml", "--checkpoint", "runs/moons-mlp/checkpoints/last.json"], in: folder)
        #expect(graph.status == 1)
        #expect(graph.standardError.hasPrefix("error: \(damaged)"))

        let initFrom = try BaifsRunProcess.run(Self.quickRun + ["--set", "init_from=../runs/moons-mlp/checkpoints/last.json", "--name", "warm"], in: folder)
        #expect(initFrom.status == 1)
        #expect(initFrom.standardError.contains("init_from: experiments/../\(damaged)"), "\(initFrom.standardError)")
    }

    @Test func aCheckpointWithoutChecksumIsRefusedExceptByInitFrom() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(Self.quickRun, in: folder)
        #expect(run.status == 0)
        let best = folder.appendingPathComponent("runs/moons-mlp/checkpoints/best.json")
        let text = try String(contentsOf: best, encoding: .utf8)
        let checksumLine = try #require(text.range(of: ",\n  \"checksum\": "))
        let unsealed = String(text[..<checksumLine.lowerBound]) + "\n}\n"
        try unsealed.write(to: best, atomically: true, encoding: .utf8)

        let export = try BaifsRunProcess.run(["export", "runs/moons-mlp/checkpoints/best.json"], in: folder)
        #expect(export.status == 1)
        #expect(export.standardError == "error: runs/moons-mlp/checkpoints/best.json: the checkpoint has no \"checksum\", so damage cannot be detected; baifs writes one as the last key of every checkpoint (this file was written by another program, or edited).\n")
        // Parameters from elsewhere carry no checksum: init_from reads them.
        let warm = try BaifsRunProcess.run(Self.quickRun + ["--set", "init_from=../runs/moons-mlp/checkpoints/best.json", "--name", "warm"], in: folder)
        #expect(warm.status == 0, "\(warm.standardError)")
        // Re-indented (as a JSON tool would), a checkpoint keeps its checksum valid.
        let reindented = try String(contentsOf: folder.appendingPathComponent("runs/moons-mlp/checkpoints/last.json"), encoding: .utf8)
            .replacingOccurrences(of: "\n  ", with: "\n\t").replacingOccurrences(of: ", ", with: ",")
        try reindented.write(to: folder.appendingPathComponent("runs/moons-mlp/checkpoints/last.json"), atomically: true, encoding: .utf8)
        let exported = try BaifsRunProcess.run(["export", "runs/moons-mlp/checkpoints/last.json", "-o", "last.safetensors"], in: folder)
        #expect(exported.status == 0, "\(exported.standardError)")
    }
}
