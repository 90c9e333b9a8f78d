import Baifs
import Foundation
@testable import Runs
import Testing

/// `Checkpoint.read`: what a damaged or hostile checkpoint file gives.
struct CheckpointTests {
    /// The JSON of a checkpoint of a 2 → 1 linear model, with its text changed by `change`.
    static func checkpointFile(_ change: (String) -> String) throws -> String {
        var generator = RandomGenerator(seed: 1)
        let model = Linear(inputSize: 2, outputSize: 1, bias: true, generator: &generator)
        let state = SolverState(generator: RandomGenerator(seed: 2), optimizer: SGD(learningRate: 0.1).state)
        let text = Checkpoint(configHash: "sha256:0", model: model, solverState: state, normalization: nil).json.text()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-checkpoint-\(UUID().uuidString).json").path
        try change(text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func failure(_ change: (String) -> String) throws -> String? {
        let path = try checkpointFile(change)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Checkpoint.read(contentsOf: path)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func readsAnUndamagedCheckpoint() throws {
        #expect(try Self.failure { $0 } == nil)
    }

    @Test func hugeOrNegativeShapesAreErrorsNotOverflows() throws {
        let product = try Self.failure { $0.replacingOccurrences(of: "\"shape\": [1, 2]", with: "\"shape\": [4294967296, 4294967296]") }
        #expect(product?.hasSuffix(": parameter 'weight' has shape [4294967296, 4294967296] but 2 values.") == true)
        let negative = try Self.failure { $0.replacingOccurrences(of: "\"shape\": [1, 2]", with: "\"shape\": [-1, -2]") }
        #expect(negative?.hasSuffix(": parameter 'weight' has shape [-1, -2] but 2 values.") == true)
    }

    @Test func countsThatTrainingCouldNotIncrementAreErrors() throws {
        for key in ["\"completed_epochs\": 0", "\"step\": 0"] {
            let message = try Self.failure { $0.replacingOccurrences(of: key, with: key.dropLast() + "9223372036854775807") }
            #expect(message?.contains("the solver state is inconsistent") == true, "\(key): \(message ?? "read")")
        }
    }

    @Test func aDirectoryOrADeviceIsNamedAsSuch() {
        for (path, reason) in [("/tmp", "it is a directory, not a file"), ("/dev/zero", "it is a character device, not a file")] {
            #expect(throws: CheckpointError("\(path): cannot read the checkpoint (\(reason)).")) { try Checkpoint.read(contentsOf: path) }
        }
    }
}
