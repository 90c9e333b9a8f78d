import Baifs
import Configuration
import Foundation
@testable import Runs
import TestSupport
import RunTestSupport
import Testing

/// `Checkpoint`: what it writes reads back bit for bit (parameters, optimizer slots, random
/// generators, solver position, normalisation), a run's own checkpoint rewrites to the same
/// bytes, and a damaged or missing file or key is refused with a message that names it.
struct CheckpointTests {
    /// Doubles whose shortest text forms are the hard cases: signed zero, the smallest and largest
    /// subnormals, the smallest normal, the largest finite, values that need 17 digits.
    static let awkwardValues: [Double] = [
        0, -0.0, 1, -1, 0.1, 1.0 / 3, 0.1 + 0.2, 1e-5,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude - .leastNonzeroMagnitude,
        .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e16, 9_007_199_254_740_993,
        .pi, 1 + .ulpOfOne, -.ulpOfOne, 123_456_789.012_345_68,
    ]

    /// A checkpoint with every part filled in, mid-epoch, by hand: Adam's two slots, generator
    /// words above `Int64.max`, an optional metric absent, a normalisation.
    static func handmade() -> Checkpoint {
        var state = SolverState(
            generator: RandomGenerator(state: [.max, 1 << 63, 0, 0x0123_4567_89AB_CDEF]),
            optimizer: OptimizerState(kind: "adam", step: 7, slots: [
                "first_moment": [Array(awkwardValues[0..<16]), [-0.0, 5e-324]],
                "second_moment": [Array(awkwardValues[4..<20]), [.greatestFiniteMagnitude, 0.1]],
            ]))
        state.completedEpochs = 2
        state.step = 7
        state.epochGenerator = RandomGenerator(seed: 99)
        state.batchesDoneInEpoch = 1
        state.epochProgress.lossSum = 0.1 + 0.2
        state.epochProgress.samples = 8
        state.epochProgress.correct = 5
        state.epochProgress.gradientNormSum = 1e-300
        state.epochProgress.steps = 1
        state.bestEpoch = 2
        state.bestValue = 0.75
        state.epochsWithoutImprovement = 0
        state.history = [
            EpochMetrics(epoch: 1, step: 3, trainLoss: 0.5, trainAccuracy: nil, validationLoss: 0.25,
                         validationAccuracy: 0.5, learningRate: 1e-3, gradientNorm: .leastNonzeroMagnitude),
            EpochMetrics(epoch: 2, step: 6, trainLoss: 1.0 / 3, trainAccuracy: 0.875, validationLoss: nil,
                         validationAccuracy: 0.75, learningRate: 1e-3, gradientNorm: 12.5),
        ]
        return Checkpoint(
            configHash: Runner.configHash("seed: 1\n"),
            parameters: [
                .init(name: "layers.0.weight", shape: [4, 4], values: Array(awkwardValues[0..<16])),
                .init(name: "layers.0.bias", shape: [2], values: [-0.0, 5e-324]),
            ],
            solverState: state,
            normalization: FeatureNormalization(method: .standardize, offsets: [-0.0, -1e-310], scales: [1e308, 3]))
    }

    /// Writes `document` to a new file (sealed with a checksum, as baifs writes checkpoints, unless
    /// `sealed` is false) and reads it as a checkpoint; also returns the file's path.
    func readBack(_ document: String, sealed: Bool = true) throws -> (path: String, result: Result<Checkpoint, CheckpointError>) {
        let folder = try TinyRun.scratchFolder()
        let path = "\(folder)/last.json"
        try (sealed ? CheckpointChecksum.resealed(document) : document).write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            return (path, .success(try Checkpoint.read(contentsOf: path)))
        } catch {
            return (path, .failure(error))
        }
    }

    /// The message `Checkpoint.read` gives for `document`, with the file's path shown as `P`.
    func readError(_ document: JSONValue) throws -> String {
        let (path, result) = try readBack(document.text())
        switch result {
        case .success: return "read without error"
        case .failure(let error): return error.message.replacingOccurrences(of: path, with: "P")
        }
    }

    // MARK: - Round trips

    @Test func writtenCheckpointReadsBackBitForBit() throws {
        let original = Self.handmade()
        let text = original.json.text()
        let read = try readBack(text).result.get()
        // JSON objects have no order: the parameters come back by name, in the file's order from its text.
        #expect(read.parametersInFileOrder(text: text) == original.parameters)
        let bits = { (values: [Double]) in values.map(\.bitPattern) }
        for (readParameter, parameter) in zip(read.parametersInFileOrder(text: text), original.parameters) {
            #expect(bits(readParameter.values) == bits(parameter.values), "\(parameter.name)")
        }
        #expect(read.configHash == original.configHash)
        #expect(read.solverState == original.solverState)
        #expect(read.solverState.optimizer.slots.mapValues { $0.map(bits) } == original.solverState.optimizer.slots.mapValues { $0.map(bits) })
        #expect(read.solverState.generator.state == [.max, 1 << 63, 0, 0x0123_4567_89AB_CDEF])
        #expect(read.solverState.epochGenerator == RandomGenerator(seed: 99))
        #expect(read.solverState.history == original.solverState.history)
        #expect(read.solverState.history[0].gradientNorm.bitPattern == Double.leastNonzeroMagnitude.bitPattern)
        #expect(read.normalization == original.normalization)
        #expect(bits(read.normalization?.offsets ?? []) == bits([-0.0, -1e-310]))
        #expect(read.epoch == 2 && read.step == 7)
        // Written again, the same bytes.
        var reordered = read
        reordered.parameters = read.parametersInFileOrder(text: text)
        #expect(reordered.json.text() == text)
    }

    /// The layout of the numbers: shortest round-trip text, generator words unsigned, and an
    /// absent optional metric as `null`.
    @Test func numbersAreWrittenInShortestRoundTripForm() {
        let text = Self.handmade().json.text()
        #expect(text.contains("""
            "layers.0.bias": {
                  "shape": [2],
                  "values": [-0.0, 5e-324]
                }
            """))
        #expect(text.contains("\"values\": [0.0, -0.0, 1.0, -1.0, 0.1, 0.3333333333333333, 0.30000000000000004, 1e-05, "
                              + "5e-324, -5e-324, 2.225073858507201e-308, 2.2250738585072014e-308, 1.7976931348623157e+308, "
                              + "-1.7976931348623157e+308, 1e+16, 9007199254740992.0]"))
        #expect(text.contains("\"state\": [18446744073709551615, 9223372036854775808, 0, 81985529216486895]"))
        #expect(text.contains("\"train_accuracy\": null,"))
        #expect(text.hasPrefix("{\n  \"format_version\": 1,\n  \"config_hash\": \"sha256:"))
    }

    /// The random generator read back continues the sequence the saved one would have drawn.
    @Test func restoredGeneratorContinuesTheSameSequence() throws {
        var generator = RandomGenerator(seed: 2024)
        for _ in 0..<5 { _ = generator.next() }
        var checkpoint = Self.handmade()
        checkpoint.solverState.generator = generator
        var read = try readBack(checkpoint.json.text()).result.get().solverState.generator
        #expect((0..<8).map { _ in read.next() } == (0..<8).map { _ in generator.next() })
    }

    /// A run stopped mid-epoch saves its exact position: momentum for every parameter, the epoch's
    /// generator and the batches done; read back and written again, the file is the same bytes,
    /// and its parameters load into a fresh model of the same config.
    @Test func aRunsCheckpointRoundTripsAndLoadsIntoTheModel() throws {
        let folder = try TinyRun.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try TinyRun.train(in: folder, stopAfterSteps: 6)
        #expect(run.status == .interrupted)
        let path = run.directory.checkpointPath("last")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let checkpoint = try Checkpoint.read(contentsOf: path)

        // 30 training samples in batches of 8: 4 batches an epoch, so step 6 is batch 2 of epoch 2.
        #expect(checkpoint.epoch == 1 && checkpoint.step == 6)
        #expect(checkpoint.solverState.batchesDoneInEpoch == 2)
        #expect(checkpoint.solverState.epochGenerator != nil)
        #expect(checkpoint.solverState.history.map(\.epoch) == [1])
        #expect(checkpoint.solverState.optimizer.kind == "sgd" && checkpoint.solverState.optimizer.step == 6)
        #expect(checkpoint.solverState.optimizer.slots.mapValues { $0.map(\.count) } == ["momentum": [8, 4, 4, 1]])
        let parameters = checkpoint.parametersInFileOrder(text: text)
        #expect(parameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
        #expect(parameters.map(\.shape) == [[4, 2], [4], [1, 4], [1]])
        #expect(checkpoint.configHash == Runner.configHash(try String(contentsOfFile: run.directory.configPath, encoding: .utf8)))

        var inFileOrder = checkpoint
        inFileOrder.parameters = parameters
        #expect(CheckpointChecksum.resealed(inFileOrder.json.text()) == text)

        let experiment = try ExperimentLoader.load(yaml: TinyRun.yaml, path: "\(folder)/experiment.yaml")
        var generator = RandomGenerator(seed: 12345)
        let model = experiment.makeModel(generator: &generator)
        #expect(model.namedParameters.map(\.parameter.values) != parameters.map(\.values))
        try checkpoint.load(into: model)
        #expect(model.namedParameters.map(\.parameter.values) == parameters.map(\.values))
    }

    // MARK: - Damaged files

    @Test func aMissingFileIsNamed() throws {
        let folder = try TinyRun.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(contentsOf: "\(folder)/none.json") }
        #expect(error?.message.hasPrefix("\(folder)/none.json: cannot read the checkpoint (") == true)
        #expect(error?.message.hasSuffix(").") == true)
    }

    @Test func aDirectoryOrADeviceIsNamedAsSuch() {
        // Foundation said "NSCocoaErrorDomain error 256" for a directory and, as root, "You don't
        // have permission" for /dev/zero, which it would otherwise read for ever.
        for (path, reason) in [("/tmp", "it is a directory, not a file"), ("/dev/zero", "it is a character device, not a file")] {
            #expect(throws: CheckpointError("\(path): cannot read the checkpoint (\(reason)).")) { try Checkpoint.read(contentsOf: path) }
        }
    }

    @Test func textThatIsNotACheckpointIsRefused() throws {
        let (path, result) = try readBack("{\"format_version\": 1, \"config_hash\": ", sealed: false)
        let error = try #require(result.failure)
        #expect(error.message.hasPrefix("\(path): not a baifs checkpoint ("))
        let (arrayPath, array) = try readBack("[1, 2]", sealed: false)
        #expect(try #require(array.failure).message.hasPrefix("\(arrayPath): not a baifs checkpoint ("))
    }

    /// A key the reader needs names its full path.
    @Test(arguments: [
        (["random_generator"], "missing key 'random_generator'"),
        (["solver", "epoch_progress", "loss_sum"], "missing key 'solver.epoch_progress.loss_sum'"),
        (["optimizer", "slots"], "missing key 'optimizer.slots'"),
        (["parameters", "layers.0.bias", "values"], "missing key 'parameters.layers.0.bias.values'"),
        (["config_hash"], "missing key 'config_hash'"),
        (["solver", "history", "1", "grad_norm"], "missing key 'solver.history.1.grad_norm'"),
    ])
    func missingKeysAreNamed(path: [String], problem: String) throws {
        let message = try readError(Self.handmade().json.replacing(path, with: nil))
        #expect(message == "P: not a baifs checkpoint (\(problem)).")
    }

    @Test func aValueOfTheWrongTypeNamesItsKey() throws {
        let damaged = Self.handmade().json.replacing(["solver", "step"], with: .string("seven"))
        #expect(try readError(damaged) == "P: not a baifs checkpoint (at 'solver.step': Expected to decode Int but found a string instead.).")
        // Array elements by their index.
        let inHistory = try readError(Self.handmade().json.replacing(["solver", "history", "0", "epoch"], with: .string("one")))
        #expect(inHistory == "P: not a baifs checkpoint (at 'solver.history.0.epoch': Expected to decode Int but found a string instead.).")
        let inSlot = try readError(Self.handmade().json.replacing(["optimizer", "slots", "first_moment", "1"], with: .string("x")))
        #expect(inSlot.hasPrefix("P: not a baifs checkpoint (at 'optimizer.slots.first_moment.1': "), "\(inSlot)")
    }

    /// A generator word outside 0...2⁶⁴−1 is refused. (Foundation's decoder reports a number out
    /// of range as "not valid JSON", without its key, so only the start of the message is fixed.)
    @Test func aGeneratorWordOutOfRangeIsRefused() throws {
        for word in [JSONValue.integer(-1), .number(18_446_744_073_709_551_616)] {
            let damaged = Self.handmade().json.replacing(["random_generator", "state", "2"], with: word)
            #expect(try readError(damaged).hasPrefix("P: not a baifs checkpoint ("))
        }
    }

    @Test func anotherFormatVersionIsRefused() throws {
        let damaged = Self.handmade().json.replacing(["format_version"], with: .integer(2))
        #expect(try readError(damaged) == "P: checkpoint format 2 is not supported; this baifs reads format 1.")
    }

    /// A NaN or infinity is written as `null`, which no parameter or slot may hold.
    @Test func nullNumbersAreRefused() throws {
        var checkpoint = Self.handmade()
        checkpoint.parameters[1].values = [1, .nan]
        #expect(try readError(checkpoint.json) == "P: parameter 'layers.0.bias' holds a non-finite value (null).")
        checkpoint = Self.handmade()
        checkpoint.solverState.optimizer.slots["second_moment"]![1][0] = .infinity
        #expect(try readError(checkpoint.json) == "P: optimizer slot 'second_moment' holds a non-finite value (null).")
    }

    @Test func valuesThatDoNotFillTheShapeAreRefused() throws {
        let damaged = Self.handmade().json.replacing(["parameters", "layers.0.bias", "shape"], with: .integers([3]))
        #expect(try readError(damaged) == "P: parameter 'layers.0.bias' has shape [3] but 2 values.")
    }

    @Test(arguments: [[4_294_967_296, 4_294_967_296], [-1, -2], [Int.max, 2]])
    func shapesWhoseProductOverflowsOrIsNegativeAreRefused(shape: [Int]) throws {
        let damaged = Self.handmade().json.replacing(["parameters", "layers.0.bias", "shape"], with: .integers(shape))
        #expect(try readError(damaged) == "P: parameter 'layers.0.bias' has shape \(shape) but 2 values.")
    }

    @Test(arguments: [
        (["random_generator", "algorithm"], JSONValue.string("mt19937")),
        (["random_generator", "state"], JSONValue.array([.integer(0), .integer(0), .integer(0), .integer(0)])),
        (["random_generator", "state"], JSONValue.array([.integer(1), .integer(2), .integer(3)])),
        (["solver", "epoch_random_generator", "state"], JSONValue.array([.integer(0), .integer(0), .integer(0), .integer(0)])),
    ])
    func generatorsThatAreNotXoshiroStatesAreRefused(path: [String], value: JSONValue) throws {
        let damaged = Self.handmade().json.replacing(path, with: value)
        #expect(try readError(damaged) == "P: the random generator state is not a xoshiro256** state.")
    }

    @Test(arguments: [
        (["normalization", "method"], JSONValue.string("zscore")),
        (["normalization", "scales"], JSONValue.numbers([1, 0])),
        (["normalization", "offsets"], JSONValue.numbers([1])),
        (["normalization", "offsets"], JSONValue.numbers([])),
    ])
    func malformedNormalizationIsRefused(path: [String], value: JSONValue) throws {
        let damaged = Self.handmade().json.replacing(path, with: value)
        #expect(try readError(damaged) == "P: the normalization entry is malformed (it needs a known method, one finite offset and one finite non-zero scale per feature).")
    }

    @Test(arguments: [
        (["solver", "completed_epochs"], JSONValue.integer(3), "2 epochs of history for 3 completed epochs"),
        (["solver", "step"], JSONValue.integer(-1), "negative counts"),
        (["solver", "batches_done_in_epoch"], JSONValue.integer(-2), "negative counts"),
        (["solver", "history", "1", "epoch"], JSONValue.integer(1), "history epochs out of order"),
        (["solver", "epoch_random_generator"], JSONValue.null, "a position inside an epoch without the epoch's random generator"),
        (["solver", "best_epoch"], JSONValue.integer(3), "a best epoch that was not trained"),
        (["solver", "best_epoch"], JSONValue.integer(0), "a best epoch that was not trained"),
        (["solver", "epoch_progress", "correct"], JSONValue.integer(-5), "negative running sums"),
        // Counts that training would increment past Int.max.
        (["solver", "step"], JSONValue.integer(.max), "a count above 2⁵³"),
        (["optimizer", "step"], JSONValue.integer(.max), "a count above 2⁵³"),
        (["solver", "epochs_without_improvement"], JSONValue.integer(-1), "negative counts"),
    ])
    func inconsistentSolverStatesAreRefused(path: [String], value: JSONValue, problem: String) throws {
        let damaged = Self.handmade().json.replacing(path, with: value)
        #expect(try readError(damaged) == "P: the solver state is inconsistent (\(problem)); the checkpoint is damaged.")
    }

    // MARK: - Loading into a model

    @Test func loadingNamesAMissingParameterAndAShapeThatDiffers() throws {
        let experiment = try ExperimentLoader.load(yaml: TinyRun.yaml, path: "tiny.yaml")
        var generator = RandomGenerator(seed: 1)
        let model = experiment.makeModel(generator: &generator)
        let before = model.namedParameters.map(\.parameter.values)
        var checkpoint = Checkpoint(configHash: "sha256:0", model: model, solverState: Self.handmade().solverState, normalization: nil)

        checkpoint.parameters.removeAll { $0.name == "layers.2.weight" }
        #expect(throws: CheckpointError("has no parameter 'layers.2.weight' (it has: layers.0.weight, layers.0.bias, layers.2.bias).")) {
            try checkpoint.load(into: model)
        }
        checkpoint = Checkpoint(configHash: "sha256:0", model: model, solverState: Self.handmade().solverState, normalization: nil)
        checkpoint.parameters[0].shape = [2, 4]
        #expect(throws: CheckpointError("parameter 'layers.0.weight' has shape [2, 4] but the model's has shape [4, 2].")) {
            try checkpoint.load(into: model)
        }
        #expect(model.namedParameters.map(\.parameter.values) == before)
    }
}

extension Result {
    /// The error, if this is a failure.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

extension JSONValue {
    /// This document with the value at `path` (object keys, or array indices as text) replaced by
    /// `newValue`, or removed if `newValue` is `nil`.
    fileprivate func replacing(_ path: [String], with newValue: JSONValue?) -> JSONValue {
        guard let key = path.first else { return newValue ?? self }
        let rest = Array(path.dropFirst())
        switch self {
        case .object(let members):
            precondition(members.contains { $0.0 == key }, "No key '\(key)' to replace.")
            if rest.isEmpty && newValue == nil { return .object(members.filter { $0.0 != key }) }
            return .object(members.map { $0.0 == key ? ($0.0, $0.1.replacing(rest, with: newValue)) : $0 })
        case .array(var elements):
            let index = Int(key)!
            elements[index] = elements[index].replacing(rest, with: newValue)
            return .array(elements)
        default:
            preconditionFailure("No '\(key)' inside a scalar.")
        }
    }
}
