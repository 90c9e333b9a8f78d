import Baifs
import Configuration
import Foundation
@testable import Runs
import Testing

/// `Checkpoint`: written piece by piece with its checksum, read back exactly, with its long
/// arrays parsed apart from the rest (`CheckpointNumberArrays`).
struct CheckpointFileTests {
    static func sample() -> Checkpoint {
        var generator = RandomGenerator(seed: 3)
        let model = MLP(sizes: [3, 40, 2], generator: &generator)
        var state = SolverState(generator: generator, optimizer: OptimizerState(kind: "adam", step: 7, slots: [
            "first_moment": model.parameters.map { Array(repeating: 1e-7, count: $0.count) },
            "second_moment": model.parameters.map { $0.values.map { $0 * $0 } },
        ]))
        state.step = 7
        return Checkpoint(configHash: "sha256:" + String(repeating: "0", count: 64), model: model, solverState: state, normalization: nil)
    }

    @Test func aWrittenCheckpointReadsBackExactly() throws {
        let checkpoint = Self.sample()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try checkpoint.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The layout of JSONValue.text(), then the checksum.
        var expected = checkpoint.json.text()
        expected.removeLast(2)  // "}\n"
        #expect(text.hasPrefix(String(expected.dropLast())))
        let read = try Checkpoint.read(contentsOf: path)
        #expect(read.parameters.sorted { $0.name < $1.name } == checkpoint.parameters.sorted { $0.name < $1.name })
        #expect(read.solverState == checkpoint.solverState)
        #expect(read.configHash == checkpoint.configHash)

        let split = CheckpointNumberArrays(scanning: Data(text.utf8))
        #expect(split.arrays.keys.sorted { $0.joined(separator: ".") < $1.joined(separator: ".") }.map { $0.joined(separator: ".") } == [
            "optimizer.slots.first_moment.0", "optimizer.slots.first_moment.1", "optimizer.slots.first_moment.2", "optimizer.slots.first_moment.3",
            "optimizer.slots.second_moment.0", "optimizer.slots.second_moment.1", "optimizer.slots.second_moment.2", "optimizer.slots.second_moment.3",
            "parameters.layers.0.bias.values", "parameters.layers.0.weight.values", "parameters.layers.2.bias.values", "parameters.layers.2.weight.values",
        ])
        #expect(split.arrays[["parameters", "layers.0.weight", "values"]] == checkpoint.parameters[0].values)
        #expect(split.skeleton.count < text.utf8.count / 5)
        #expect(String(decoding: split.skeleton, as: UTF8.self).contains("\"shape\": [40, 3],\n      \"values\": []"))
    }

    @Test func anArrayWithANullIsLeftForTheDecoderToReport() throws {
        let text = try #require(String(data: Data(Self.sample().json.text().utf8), encoding: .utf8))
        let damaged = CheckpointChecksum.resealed(text.replacingOccurrences(of: "\"values\": [", with: "\"values\": [null, "))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try damaged.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CheckpointError.self) { try Checkpoint.read(contentsOf: path) }
        #expect(CheckpointNumberArrays(scanning: Data(damaged.utf8)).arrays.keys.allSatisfy { $0[0] == "optimizer" })
    }

    /// A config's hash, as checkpoints record it, is `sha256:` and the digest of its UTF-8 text.
    @Test func configHashPrefixesTheDigest() {
        #expect(Runner.configHash("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
