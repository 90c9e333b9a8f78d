import Autograd
import Baifs
import Configuration
import Foundation

/// What training an experiment takes, computed from shapes alone before anything is built: per
/// part of the model (input, each layer, loss) its output shape, parameters and the graph it
/// records per sample; then the graph of one training batch and the memory it needs.
///
/// Training runs each batch of `b` samples in chunks of `chunkSize` samples, each on its own
/// graph, all kept in memory at once: one batch records `c · Σ perPass + b · Σ perSample` nodes
/// for `c` chunks (see `GraphCost`), whose tapes take `GraphStatistics.bytes`; the graphs are kept
/// from batch to batch. The parameters add 8 bytes per value for the values, 8 for the gradients,
/// and 16 per optimizer buffer (1 for SGD with momentum, 2 for Adam and AdamW): the optimizer's own,
/// and the copy the solver's state keeps for checkpoints, which the next update makes distinct.
/// The process itself (runtime, libraries, the data) takes `processBytes`, and running adds
/// `runningOverheadBytes`. Checkpoints are written
/// a megabyte at a time; reading one (`init_from`) takes `checkpointReadingBytesPerFileByte` per
/// byte of its file, before training starts. The estimate is the larger of the two peaks; a test
/// holds it within 30% of the peak resident memory measured for the examples and larger configs.
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
    /// The resident bytes of a process that has loaded the experiment (runtime, libraries,
    /// executable, data), before it trains.
    public let processBytes: Int
    /// The size of the `init_from` checkpoint file; 0 without one.
    public let initialCheckpointFileBytes: Int

    /// `processBytes` where it cannot be measured: about what a `baifs-run` process holds before
    /// training a small model.
    public static let typicalProcessBytes = 32 << 20
    /// What a run holds beyond what planning it did: its worker threads' stacks, the file and date
    /// formatting of its outputs, the signal handling (measured: 5–6 MB).
    public static let runningOverheadBytes = 6 << 20
    /// The peak bytes that reading a checkpoint takes per byte of its file: the file's bytes and
    /// 8 bytes per value parsed from its 17 to 24 characters, with the slack of growing arrays
    /// (measured: 1.3 to 1.4).
    public static let checkpointReadingBytesPerFileByte = 1.5

    /// Plans `experiment` from its resolved configuration and the sizes of its data.
    ///
    /// - Parameters:
    ///   - experiment: The experiment to plan.
    ///   - processBytes: What the process holds before training; `residentBytes()` of a process
    ///     that has loaded the experiment is the best measure.
    ///   - initialCheckpointFileBytes: The size of the `init_from` file, if any.
    public init(experiment: Experiment, processBytes: Int = typicalProcessBytes, initialCheckpointFileBytes: Int = 0) {
        self.processBytes = processBytes
        self.initialCheckpointFileBytes = initialCheckpointFileBytes
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
    public var chunksPerBatch: Int { (batchSize + chunkSize - 1) / chunkSize }

    /// The samples per chunk training will use (`BatchGradients.chunkSize(parameterCount:sampleGraph:)`).
    public var chunkSize: Int { BatchGradients.chunkSize(parameterCount: parameterCount, sampleGraph: total.batch(1)) }

    /// The graphs of one training batch, all chunks together.
    public var trainingBatch: GraphStatistics { total.perPass * chunksPerBatch + total.perSample * batchSize }

    /// The bytes of the tapes of one training batch.
    public var tapeBytes: Int { trainingBatch.bytes }

    /// The bytes of the parameters' values and gradients, the optimizer's buffers and the solver
    /// state's copy of them: `parameters · 8 · (2 + 2 · buffers)` (`Int.max` for more than that,
    /// which no limit allows; so are the sums below).
    public var parameterBytes: Int { [parameterCount, MemoryLayout<Double>.stride, 2 + 2 * optimizerBuffers].saturatingProduct }

    /// What a run holds while it trains: the process (and what running adds), the tapes of one
    /// batch, the parameters.
    public var trainingBytes: Int {
        processBytes.saturatingAdding(Self.runningOverheadBytes).saturatingAdding(tapeBytes).saturatingAdding(parameterBytes)
    }

    /// The model's values and gradients: `parameters · 16`.
    var modelBytes: Int { [parameterCount, 2, MemoryLayout<Double>.stride].saturatingProduct }

    /// What a run holds while it reads its `init_from` checkpoint (0 without one): the process,
    /// the model's values and gradients, and the reading.
    public var checkpointReadingBytes: Int {
        guard initialCheckpointFileBytes > 0 else { return 0 }
        let reading = (Double(initialCheckpointFileBytes) * Self.checkpointReadingBytesPerFileByte).rounded(.up)
        return processBytes.saturatingAdding(Self.runningOverheadBytes).saturatingAdding(modelBytes)
            .saturatingAdding(reading < 0x1p62 ? Int(reading) : .max)
    }

    /// The most a run holds at once: the larger of `trainingBytes` and `checkpointReadingBytes`.
    public var memoryBytes: Int { max(trainingBytes, checkpointReadingBytes) }

    /// What `baifs-run graph` holds: the process, the model's values and gradients, and the graph
    /// of one sample (`total.batch(1)`).
    public var graphTraceBytes: Int {
        processBytes.saturatingAdding(modelBytes).saturatingAdding(total.batch(1).bytes)
    }

    /// The plan of `experiment` (loaded from `experimentPath`) for a run on this machine: with what
    /// this process holds now (it has loaded the experiment's data, as the run will) and the size
    /// of the `init_from` file.
    public static func measured(_ experiment: Experiment, experimentPath: String) -> ModelPlan {
        var fileBytes = 0
        if let initFrom = experiment.config.initFrom {
            var status = stat()
            if stat(ExperimentLoader.resolve(dataPath: initFrom, relativeTo: experimentPath), &status) == 0 { fileBytes = Int(status.st_size) }
        }
        return ModelPlan(experiment: experiment, processBytes: residentBytes() ?? typicalProcessBytes, initialCheckpointFileBytes: fileBytes)
    }

    /// The resident bytes of this process now (`/proc/self/statm`), or `nil` where that cannot be read.
    public static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Optimizer steps per epoch.
    public var stepsPerEpoch: Int { (trainingSamples + batchSize - 1) / batchSize }

    /// Checks that training fits in `limit` bytes.
    ///
    /// - Throws: `MemoryLimitError` when `memoryBytes` exceeds `limit`, naming the largest layer.
    public func checkMemory(limit: UInt64, limitSource: String, needed: Int? = nil) throws(MemoryLimitError) {
        let memoryBytes = needed ?? self.memoryBytes
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
