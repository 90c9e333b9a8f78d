import Autograd
import Baifs
import Configuration
import Foundation

/// A saved point of a training run: the model's parameters by their `state_dict` names (PyTorch
/// layout), the optimizer's buffers, the solver's position and random generator, and the feature
/// normalisation, tied to the resolved config by its SHA-256.
///
/// Written as JSON with a fixed layout (`checkpoints/*.json`); doubles round-trip exactly.
public struct Checkpoint: Equatable, Sendable {
    /// The version of this layout; readers refuse others.
    public static let formatVersion = 1

    /// One parameter tensor as a checkpoint stores it.
    public struct NamedParameter: Equatable, Sendable {
        /// Its `state_dict` name: `layers.0.weight`, `layers.0.bias`, …
        public var name: String
        /// Its shape, PyTorch's layout (`[out, in]` for a linear layer's weight).
        public var shape: [Int]
        /// Its values in row-major order.
        public var values: [Double]
    }

    /// `sha256:` and the digest of the run's `config.yaml`.
    public var configHash: String
    /// The model's parameters, in the model's `state_dict` order.
    var parameters: [NamedParameter]
    /// Where training stands, with the optimizer state and the random generator.
    public var solverState: SolverState
    /// The normalisation applied to features before the model (data files), if any.
    public var normalization: FeatureNormalization?
    /// What the model's inputs and outputs are, for inference without the training data; `nil`
    /// in checkpoints written before it was recorded.
    public var input: CheckpointInput?

    /// Captures `model` and `solverState`.
    public init(configHash: String, model: any Module, solverState: SolverState, normalization: FeatureNormalization?,
                input: CheckpointInput? = nil) {
        self.configHash = configHash
        self.parameters = model.namedParameters.map { NamedParameter(name: $0.name, shape: $0.parameter.shape, values: $0.parameter.values) }
        self.solverState = solverState
        self.normalization = normalization
        self.input = input
    }

    /// Epochs completed when the checkpoint was taken.
    public var epoch: Int { solverState.completedEpochs }
    /// Optimizer steps taken when the checkpoint was taken.
    public var step: Int { solverState.step }

    /// Copies the parameters into `model`, matching by name and shape; every parameter of the
    /// model must be present.
    public func load(into model: any Module) throws(CheckpointError) {
        let saved = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, parameter) in model.namedParameters {
            guard let entry = saved[name] else {
                let names = parameters.prefix(10).map { Excerpt.plain($0.name, limit: 40) }
                let available = names.joined(separator: ", ") + (parameters.count > 10 ? ", … (\(parameters.count) in all)" : "")
                throw CheckpointError("has no parameter \(Excerpt.quoted(name)) (it has: \(available)).")
            }
            guard entry.shape == parameter.shape else {
                throw CheckpointError("parameter '\(name)' has shape \(Excerpt.plain("\(entry.shape)")) but the model's has shape \(parameter.shape).")
            }
            parameter.values = entry.values
        }
    }
}

/// A checkpoint that cannot be read or does not fit.
public struct CheckpointError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The problem in one sentence, usually starting with the checkpoint's path.
    public var message: String
    init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

// MARK: - Writing

extension Checkpoint {
    /// The checkpoint as a JSON document.
    public var json: JSONValue {
        .object([
            ("format_version", .integer(Int64(Self.formatVersion))),
            ("config_hash", .string(configHash)),
            ("epoch", .integer(Int64(epoch))),
            ("step", .integer(Int64(step))),
            ("parameters", .object(parameters.map { ($0.name, .object([("shape", .integers($0.shape)), ("values", .numbers($0.values))])) })),
            ("optimizer", .object([
                ("kind", .string(solverState.optimizer.kind)),
                ("step", .integer(Int64(solverState.optimizer.step))),
                ("slots", .object(solverState.optimizer.slots.keys.sorted().map { name in
                    (name, .array(solverState.optimizer.slots[name]!.map { .numbers($0) }))
                })),
            ])),
            ("random_generator", generatorJSON(solverState.generator)),
            ("solver", .object([
                ("completed_epochs", .integer(Int64(solverState.completedEpochs))),
                ("step", .integer(Int64(solverState.step))),
                ("epoch_random_generator", solverState.epochGenerator.map(generatorJSON) ?? .null),
                ("batches_done_in_epoch", .integer(Int64(solverState.batchesDoneInEpoch))),
                ("epoch_progress", .object([
                    ("loss_sum", .number(solverState.epochProgress.lossSum)),
                    ("samples", .integer(Int64(solverState.epochProgress.samples))),
                    ("correct", .integer(Int64(solverState.epochProgress.correct))),
                    ("gradient_norm_sum", .number(solverState.epochProgress.gradientNormSum)),
                    ("steps", .integer(Int64(solverState.epochProgress.steps))),
                ])),
                ("best_epoch", solverState.bestEpoch.map { .integer(Int64($0)) } ?? .null),
                ("best_value", .optional(solverState.bestValue)),
                ("epochs_without_improvement", .integer(Int64(solverState.epochsWithoutImprovement))),
                ("history", .array(solverState.history.map(metricsJSON))),
            ])),
            ("normalization", normalization.map { normalization in
                .object([
                    ("method", .string(normalization.method.rawValue)),
                    ("offsets", .numbers(normalization.offsets)),
                    ("scales", .numbers(normalization.scales)),
                ])
            } ?? .null),
            ("data", input?.json ?? .null),
        ])
    }
}

private func generatorJSON(_ generator: RandomGenerator) -> JSONValue {
    .object([("algorithm", .string("xoshiro256**")), ("state", .array(generator.state.map { .unsignedInteger($0) }))])
}

/// An epoch's metrics under their `metrics.csv` column names.
func metricsJSON(_ metrics: EpochMetrics) -> JSONValue {
    .object([
        ("epoch", .integer(Int64(metrics.epoch))),
        ("step", .integer(Int64(metrics.step))),
        ("train_loss", .number(metrics.trainLoss)),
        ("train_accuracy", .optional(metrics.trainAccuracy)),
        ("val_loss", .optional(metrics.validationLoss)),
        ("val_accuracy", .optional(metrics.validationAccuracy)),
        ("learning_rate", .number(metrics.learningRate)),
        ("grad_norm", .number(metrics.gradientNorm)),
    ])
}

// MARK: - Reading

extension Checkpoint {
    /// Reads a checkpoint file and verifies its checksum (see `CheckpointChecksum`).
    ///
    /// - Parameters:
    ///   - path: The checkpoint file.
    ///   - checksum: Whether a checkpoint without a checksum is refused (run checkpoints) or read
    ///     (`init_from`, whose parameters may come from another program).
    public static func read(contentsOf path: String,
                            checksum: CheckpointChecksum.Requirement = .required) throws(CheckpointError) -> Checkpoint {
        // The file's bytes are dropped once checked and split (see `CheckpointNumberArrays`).
        func readAndSplit() throws(CheckpointError) -> (CheckpointNumberArrays, hasChecksum: Bool) {
            let data: Data
            do {
                data = try InputFile.read(path)
            } catch {
                throw CheckpointError("\(path): cannot read the checkpoint (\(error.reason)).")
            }
            let hasChecksum: Bool
            do {
                hasChecksum = try CheckpointChecksum.verify(data, path: path)
            } catch {
                throw CheckpointError(error.message)
            }
            return (CheckpointNumberArrays(scanning: data), hasChecksum)
        }
        let (split, hasChecksum) = try readAndSplit()
        let file: CheckpointFile
        do {
            file = try JSONDecoder().decode(CheckpointFile.self, from: split.skeleton)
        } catch {
            throw CheckpointError("\(path): not a baifs checkpoint (\(decodingSummary(error))).")
        }
        guard file.formatVersion == formatVersion else {
            throw CheckpointError("\(path): checkpoint format \(file.formatVersion) is not supported; this baifs reads format \(formatVersion).")
        }
        if !hasChecksum && checksum == .required { throw CheckpointError(CheckpointChecksum.missing(path).message) }
        return try file.checkpoint(path: path, arrays: split.arrays)
    }
}

private func decodingSummary(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing key '\(keyPath(context.codingPath + [key]))'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        let path = keyPath(context.codingPath)
        return path.isEmpty ? context.debugDescription : "at '\(path)': \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}

/// A coding path as a key path, array elements by index: `solver.history.1.grad_norm` (the
/// decoder's own names for them read `Index 1`).
private func keyPath(_ codingPath: [CodingKey]) -> String {
    codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}

/// The JSON layout, key for key, for decoding.
private struct CheckpointFile: Decodable {
    struct ParameterEntry: Decodable {
        var shape: [Int]
        var values: [Double?]
    }

    struct OptimizerEntry: Decodable {
        var kind: String
        var step: Int
        var slots: [String: [[Double?]]]
    }

    struct GeneratorEntry: Decodable {
        var algorithm: String
        var state: [UInt64]
    }

    struct ProgressEntry: Decodable {
        var lossSum: Double
        var samples: Int
        var correct: Int
        var gradientNormSum: Double
        var steps: Int

        enum CodingKeys: String, CodingKey {
            case lossSum = "loss_sum"
            case samples
            case correct
            case gradientNormSum = "gradient_norm_sum"
            case steps
        }
    }

    struct MetricsEntry: Decodable {
        var epoch: Int
        var step: Int
        var trainLoss: Double
        var trainAccuracy: Double?
        var validationLoss: Double?
        var validationAccuracy: Double?
        var learningRate: Double
        var gradientNorm: Double

        enum CodingKeys: String, CodingKey {
            case epoch
            case step
            case trainLoss = "train_loss"
            case trainAccuracy = "train_accuracy"
            case validationLoss = "val_loss"
            case validationAccuracy = "val_accuracy"
            case learningRate = "learning_rate"
            case gradientNorm = "grad_norm"
        }
    }

    struct SolverEntry: Decodable {
        var completedEpochs: Int
        var step: Int
        var epochRandomGenerator: GeneratorEntry?
        var batchesDoneInEpoch: Int
        var epochProgress: ProgressEntry
        var bestEpoch: Int?
        var bestValue: Double?
        var epochsWithoutImprovement: Int
        var history: [MetricsEntry]

        enum CodingKeys: String, CodingKey {
            case completedEpochs = "completed_epochs"
            case step
            case epochRandomGenerator = "epoch_random_generator"
            case batchesDoneInEpoch = "batches_done_in_epoch"
            case epochProgress = "epoch_progress"
            case bestEpoch = "best_epoch"
            case bestValue = "best_value"
            case epochsWithoutImprovement = "epochs_without_improvement"
            case history
        }
    }

    struct NormalizationEntry: Decodable {
        var method: String
        var offsets: [Double]
        var scales: [Double]
    }

    var formatVersion: Int
    var configHash: String
    var parameters: OrderedParameters
    var optimizer: OptimizerEntry
    var randomGenerator: GeneratorEntry
    var solver: SolverEntry
    var normalization: NormalizationEntry?
    var data: CheckpointInputEntry?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case configHash = "config_hash"
        case parameters
        case optimizer
        case randomGenerator = "random_generator"
        case solver
        case normalization
        case data
    }

    /// The checkpoint, with the values of `arrays` (see `CheckpointNumberArrays`) where the
    /// decoded document has them left out.
    func checkpoint(path: String, arrays: [[String]: [Double]] = [:]) throws(CheckpointError) -> Checkpoint {
        func generator(_ entry: GeneratorEntry) throws(CheckpointError) -> RandomGenerator {
            guard entry.algorithm == "xoshiro256**", entry.state.count == 4, entry.state.contains(where: { $0 != 0 }) else {
                throw CheckpointError("\(path): the random generator state is not a xoshiro256** state.")
            }
            return RandomGenerator(state: entry.state)
        }
        func finite(_ values: [Double?], _ what: String) throws(CheckpointError) -> [Double] {
            var result = [Double]()
            result.reserveCapacity(values.count)
            for value in values {
                guard let value else { throw CheckpointError("\(path): \(what) holds a non-finite value (null).") }
                result.append(value)
            }
            return result
        }
        var slots: [String: [[Double]]] = [:]
        for (name, buffers) in optimizer.slots {
            var converted = [[Double]]()
            for (index, buffer) in buffers.enumerated() {
                if let extracted = arrays[["optimizer", "slots", name, String(index)]] {
                    converted.append(extracted)
                } else {
                    converted.append(try finite(buffer, "optimizer slot \(Excerpt.quoted(name))"))
                }
            }
            slots[name] = converted
        }
        var state = SolverState(generator: try generator(randomGenerator),
                                optimizer: OptimizerState(kind: optimizer.kind, step: optimizer.step, slots: slots))
        state.completedEpochs = solver.completedEpochs
        state.step = solver.step
        state.epochGenerator = try solver.epochRandomGenerator.map { entry throws(CheckpointError) in try generator(entry) }
        state.batchesDoneInEpoch = solver.batchesDoneInEpoch
        state.epochProgress.lossSum = solver.epochProgress.lossSum
        state.epochProgress.samples = solver.epochProgress.samples
        state.epochProgress.correct = solver.epochProgress.correct
        state.epochProgress.gradientNormSum = solver.epochProgress.gradientNormSum
        state.epochProgress.steps = solver.epochProgress.steps
        state.bestEpoch = solver.bestEpoch
        state.bestValue = solver.bestValue
        state.epochsWithoutImprovement = solver.epochsWithoutImprovement
        state.history = solver.history.map {
            EpochMetrics(epoch: $0.epoch, step: $0.step, trainLoss: $0.trainLoss, trainAccuracy: $0.trainAccuracy,
                         validationLoss: $0.validationLoss, validationAccuracy: $0.validationAccuracy, learningRate: $0.learningRate,
                         gradientNorm: $0.gradientNorm)
        }
        var named = [Checkpoint.NamedParameter]()
        for (name, entry) in parameters.entries {
            let values: [Double]
            if let extracted = arrays[["parameters", name, "values"]] {
                values = extracted
            } else {
                values = try finite(entry.values, "parameter '\(Excerpt.plain(name))'")
            }
            // The shape is read from the file: its product may overflow, its dimensions be negative.
            guard entry.shape.allSatisfy({ $0 >= 0 }), entry.shape.saturatingProduct == values.count else {
                throw CheckpointError("\(path): parameter '\(Excerpt.plain(name))' has shape \(Excerpt.plain("\(entry.shape)")) but \(values.count) values.")
            }
            named.append(Checkpoint.NamedParameter(name: name, shape: entry.shape, values: values))
        }
        var normalizationValue: FeatureNormalization?
        if let normalization {
            guard let method = FeatureNormalization.Method(rawValue: normalization.method),
                  let value = FeatureNormalization(validating: method, offsets: normalization.offsets, scales: normalization.scales) else {
                throw CheckpointError("\(path): the normalization entry is malformed (it needs a known method, one finite offset and one finite non-zero scale per feature).")
            }
            normalizationValue = value
        }
        // The solver's position must be one a run can be in, with counts that training can go on
        // incrementing (a count read as 2⁶³ − 1 would overflow at the next step).
        let countLimit = 1 << 53
        let counts = [state.completedEpochs, state.step, state.batchesDoneInEpoch, state.epochProgress.samples,
                      state.epochProgress.correct, state.epochProgress.steps, state.epochsWithoutImprovement,
                      state.optimizer.step] + state.history.flatMap { [$0.epoch, $0.step] }
        let solverProblems = [
            (state.completedEpochs >= 0 && state.step >= 0 && state.batchesDoneInEpoch >= 0, "negative counts"),
            (state.history.count == state.completedEpochs, "\(state.history.count) epochs of history for \(state.completedEpochs) completed epochs"),
            (state.history.enumerated().allSatisfy { $0.element.epoch == $0.offset + 1 }, "history epochs out of order"),
            (state.batchesDoneInEpoch == 0 || state.epochGenerator != nil, "a position inside an epoch without the epoch's random generator"),
            (state.bestEpoch.map { $0 >= 1 && $0 <= state.completedEpochs } ?? true, "a best epoch that was not trained"),
            (state.epochProgress.samples >= 0 && state.epochProgress.steps >= 0 && state.epochProgress.correct >= 0, "negative running sums"),
            (counts.allSatisfy { $0 >= 0 }, "negative counts"),
            (counts.allSatisfy { $0 <= countLimit }, "a count above 2⁵³"),
        ]
        if let problem = solverProblems.first(where: { !$0.0 }) {
            throw CheckpointError("\(path): the solver state is inconsistent (\(problem.1)); the checkpoint is damaged.")
        }
        var input: CheckpointInput?
        switch data?.input() {
        case .success(let value)?: input = value
        case .failure(let error)?: throw CheckpointError("\(path): \(error.message).")
        case nil: input = nil
        }
        if let input, let normalization = normalizationValue, normalization.featureCount != input.sampleShape.reduce(1, *) {
            throw CheckpointError("\(path): its normalization has \(normalization.featureCount) features but its samples have shape \(input.sampleShape).")
        }
        return Checkpoint(configHash: configHash, parameters: named, solverState: state, normalization: normalizationValue, input: input)
    }
}

/// A JSON object of parameters, in the order the decoder lists them (models match them by name).
private struct OrderedParameters: Decodable {
    var entries: [(String, CheckpointFile.ParameterEntry)]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        entries = try container.allKeys.map { ($0.stringValue, try container.decode(CheckpointFile.ParameterEntry.self, forKey: $0)) }
    }
}

extension Checkpoint {
    init(configHash: String, parameters: [NamedParameter], solverState: SolverState, normalization: FeatureNormalization?,
         input: CheckpointInput? = nil) {
        self.configHash = configHash
        self.parameters = parameters
        self.solverState = solverState
        self.normalization = normalization
        self.input = input
    }
}
