import Autograd
import Baifs
import Configuration
import Foundation

/// What training an experiment takes, computed from shapes alone before anything is built: per
/// part of the model (input, each layer, loss) its output shape, parameters and the graph it
/// records per sample; then the graph of one training batch and the memory it needs.
///
/// Training runs each batch of `b` samples in chunks of `BatchGradients.chunkSize`, each on its own
/// graph, all kept in memory at once: one batch records `c · Σ perPass + b · Σ perSample` nodes
/// for `c` chunks (see `GraphCost`), whose tapes take `GraphStatistics.bytes`. The parameters add
/// 8 bytes per value for the values, 8 for the gradients, and 8 per optimizer buffer (1 for SGD
/// with momentum, 2 for Adam and AdamW).
public struct ModelPlan: Sendable {
    /// One part of the model.
    public struct Row: Sendable, Equatable {
        /// `input`, `layers.0`, …, `loss`.
        public var name: String
        /// The layer type (`linear`, `conv2d`, …), or the loss (`mse`), empty for the input.
        public var type: String
        /// The layer's sizes in brief, such as `2 → 16` or `1 → 4, 3×3, stride 1, padding 1`.
        public var detail: String
        /// The shape of one sample's output; `[]` for the loss.
        public var outputShape: [Int]
        /// The parameters the part holds.
        public var parameterCount: Int
        /// The graph it records.
        public var cost: GraphCost
    }

    /// The input, each layer and the loss, in order.
    public let rows: [Row]
    /// Samples per training batch: `training.batch_size`, or the training set if smaller.
    public let batchSize: Int
    /// The number of training samples.
    public let trainingSamples: Int
    /// The number of validation samples.
    public let validationSamples: Int
    /// The optimizer's buffers per parameter value.
    public let optimizerBuffers: Int

    /// Plans `experiment` from its resolved configuration and the sizes of its data.
    public init(experiment: Experiment) {
        let config = experiment.config
        var rows = [Row]()
        var shape = config.model.inputShape
        let features = shape.saturatingProduct
        rows.append(Row(name: "input", type: "", detail: "", outputShape: shape, parameterCount: 0,
                        cost: GraphCost(perSample: GraphCost.leaves(features))))
        for (index, layer) in config.model.layers.enumerated() {
            let cost = layer.graphCost(inputShape: shape)
            shape = layer.outputShape(for: shape)
            rows.append(Row(name: "layers.\(index)", type: layer.type.rawValue, detail: layer.detail, outputShape: shape,
                            parameterCount: layer.parameterCount, cost: cost))
        }
        rows.append(Row(name: "loss", type: config.loss.rawValue, detail: "", outputShape: [], parameterCount: 0,
                        cost: config.loss.graphCost(outputWidth: shape.saturatingProduct)))
        self.rows = rows
        trainingSamples = experiment.training.count
        validationSamples = experiment.validation.count
        batchSize = max(1, min(config.training.batchSize, trainingSamples))
        optimizerBuffers = switch config.optimizer.kind {
        case .sgd: config.optimizer.momentum > 0 ? 1 : 0
        case .adam, .adamw: 2
        }
    }

    /// The parameters of the model.
    public var parameterCount: Int { rows.map(\.parameterCount).saturatingSum }

    /// The graph of the whole model and loss.
    public var total: GraphCost { rows.reduce(GraphCost()) { $0 + $1.cost } }

    /// The chunks of one training batch, each on its own graph.
    public var chunksPerBatch: Int { (batchSize + BatchGradients.chunkSize - 1) / BatchGradients.chunkSize }

    /// The graphs of one training batch, all chunks together.
    public var trainingBatch: GraphStatistics { total.perPass * chunksPerBatch + total.perSample * batchSize }

    /// The bytes of the tapes of one training batch.
    public var tapeBytes: Int { trainingBatch.bytes }

    /// The bytes of the parameters' values, gradients and optimizer buffers.
    public var parameterBytes: Int { [parameterCount, MemoryLayout<Double>.stride, 2 + optimizerBuffers].saturatingProduct }

    /// The memory training needs beyond the data: the tape of one batch and the parameters
    /// (`Int.max` for more than that, which no limit allows).
    public var memoryBytes: Int { tapeBytes.saturatingAdding(parameterBytes) }

    /// Optimizer steps per epoch.
    public var stepsPerEpoch: Int { (trainingSamples + batchSize - 1) / batchSize }

    /// Checks that training fits in `limit` bytes.
    ///
    /// - Throws: `MemoryLimitError` when `memoryBytes` exceeds `limit`, naming the largest layer.
    public func checkMemory(limit: UInt64, limitSource: String) throws(MemoryLimitError) {
        guard UInt64(memoryBytes) > limit else { return }
        let largest = rows.max { $0.cost.perSample.bytes < $1.cost.perSample.bytes }
        throw MemoryLimitError(needed: UInt64(memoryBytes), limit: limit, limitSource: limitSource, batchSize: batchSize,
                               largestPart: largest.map { ($0.name, UInt64($0.cost.perSample.bytes.saturatingMultiplied(by: batchSize))) })
    }

    /// The machine's physical memory, the default limit.
    public static var physicalMemory: UInt64 { ProcessInfo.processInfo.physicalMemory }

    /// Reads a byte count such as `512M`, `2G`, `1.5GB`, `64KiB` or `1000000` (powers of 1024 for
    /// K, M, G, T with or without `B` or `iB`); `nil` if the text is not one.
    public static func parseByteCount(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let suffixes: [(String, Double)] = [
            ("TIB", 0x1p40), ("GIB", 0x1p30), ("MIB", 0x1p20), ("KIB", 0x1p10),
            ("TB", 0x1p40), ("GB", 0x1p30), ("MB", 0x1p20), ("KB", 0x1p10),
            ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10), ("B", 1),
        ]
        var number = Substring(trimmed)
        var factor = 1.0
        for (suffix, value) in suffixes where trimmed.hasSuffix(suffix) {
            number = trimmed.dropLast(suffix.count)
            factor = value
            break
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else { return nil }
        let bytes = (value * factor).rounded()
        return bytes < 0x1p64 ? UInt64(bytes) : nil
    }

    /// `123 B`, `4.5 KB`, `12.3 MB`, `1.2 GB` (powers of 1024).
    public static func formatBytes<Count: BinaryInteger>(_ count: Count) -> String {
        let value = Double(count)
        let units: [(String, Double)] = [("TB", 0x1p40), ("GB", 0x1p30), ("MB", 0x1p20), ("KB", 0x1p10)]
        for (unit, size) in units where value >= size {
            return String(format: "%.1f %@", value / size, unit)
        }
        return "\(count) B"
    }
}
