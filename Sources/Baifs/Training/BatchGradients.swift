import Autograd
import Foundation
import Synchronization

/// Computes the loss of a batch and the gradients of a model's parameters, data-parallel and
/// reproducible: the batch is cut into chunks of `chunkSize` samples, each chunk is run forward and
/// backward on its own graph (on up to `threads` threads at once), and the chunks' losses and
/// gradients are added in chunk order.
///
/// The chunks do not depend on the number of threads, and neither does the order of the additions,
/// so results are bit-identical whatever `threads` is. Each chunk's loss is averaged over the whole
/// batch (`Loss(…, samples: batchSize)`), so the chunks' losses and gradients add up to the batch's.
public final class BatchGradients {
    /// Samples per chunk of most models.
    public static let smallChunkSize = 8
    /// Samples per chunk of a model whose parameters weigh as much as its arithmetic (an MLP).
    public static let largeChunkSize = 32

    /// The samples per chunk for a model of `parameterCount` parameters whose graph for one sample
    /// (forward and loss) has `sampleGraph` nodes: 8, or 32 for a model of at least 16,384
    /// parameters that are more than an eighth of that graph's scalar operations.
    ///
    /// Every chunk binds all the parameters into its graph and adds up their gradients: work
    /// proportional to the parameters, against arithmetic proportional to the samples. An MLP does
    /// about one multiply-add per parameter and sample, so with 8 samples the parameters would cost
    /// about as much as the arithmetic; a convolutional model reuses each weight at every position
    /// and keeps small chunks (and so more chunks to share between threads). The choice depends on
    /// the model alone, never on the threads, so results stay identical for any number of them.
    public static func chunkSize(parameterCount: Int, sampleGraph: GraphStatistics) -> Int {
        // P > S / 8 rather than 8P > S: counts from a plan can be as large as Int allows.
        parameterCount >= 16_384 && parameterCount > sampleGraph.scalarOperations / 8 ? largeChunkSize : smallChunkSize
    }

    /// Samples per chunk for this model, settled on the first batch (see `chunkSize(parameterCount:sampleGraph:)`).
    public private(set) var chunkSize: Int?

    /// The model whose gradients are computed.
    public let model: any Module
    /// The loss whose gradients are computed.
    public let loss: Loss
    /// The most threads to use; 1 runs every chunk on the calling thread.
    public var threads: Int
    private let parameters: [Parameter]
    /// One graph per chunk, reused from batch to batch so that memory stays flat.
    private var graphs: [Graph] = []
    /// Chunks that took less than this many seconds on the previous batch run on one thread, where
    /// starting threads would cost more than it saves. It changes speed only, never results.
    public var parallelThreshold = 20e-6
    private var secondsPerChunk = Double.infinity

    /// Creates the computation for `model` and `loss` on up to `threads` threads (the results are
    /// bit-identical for any number).
    public init(model: any Module, loss: Loss, threads: Int = 1) {
        precondition(threads >= 1, "BatchGradients needs at least one thread; got \(threads).")
        self.model = model
        self.loss = loss
        self.threads = threads
        self.parameters = model.parameters
    }

    /// What one batch gave.
    public struct Result: Sendable {
        /// The batch loss: the mean over `samples` of the per-sample loss (or their sum, for `samples` 1).
        public var loss: Double
        /// Samples whose predicted class is their label (classification).
        public var correct: Int
    }

    /// The nodes of the last batch's graphs, summed over chunks: tape entries, and nodes counted as
    /// micrograd would build them (`Graph.scalarOperationCount`).
    public var lastNodeCounts: (tape: Int, scalar: Int) {
        let used = graphs.prefix(lastChunkCount)
        return (used.reduce(0) { $0 + $1.nodeCount }, used.reduce(0) { $0 + $1.scalarOperationCount })
    }
    private var lastChunkCount = 0
    /// Which is faster at the moment, one thread or several (see `Pace`).
    private var pace = Pace()
    /// The threads besides the caller's, started on first need.
    private var pool: WorkerPool?
    private var workerPool: WorkerPool { pool! }
    /// How the last batch shared out its elementwise work: on its threads when it used several, so
    /// that the optimizer's update that follows can use the same (`Optimizer.update(_:blocks:)`).
    public private(set) var elementBlocks = ElementBlocks.serial

    /// Runs `batch` forward (and, with `differentiate`, backward, leaving the batch gradient in every
    /// parameter's `gradients`), with each chunk's loss divided by `samples` (default: the batch's size).
    public func compute(_ batch: Dataset, samples: Int? = nil, differentiate: Bool) -> Result {
        let chunkSize = self.chunkSize ?? settleChunkSize(batch)
        let chunkCount = (batch.count + chunkSize - 1) / chunkSize
        while graphs.count < chunkCount { graphs.append(Graph()) }
        let divisor = samples ?? batch.count
        var losses = [Double](repeating: 0, count: chunkCount)
        var correct = [Int](repeating: 0, count: chunkCount)
        var seconds = [Double](repeating: 0, count: chunkCount)
        var processorSeconds = [Double](repeating: 0, count: chunkCount)

        // More threads than cores (or chunks) would only wait for each other.
        let available = secondsPerChunk >= parallelThreshold ? min(threads, chunkCount, processorCount) : 1
        let workers = available > 1 && pace.prefersParallel(differentiate: differentiate) ? available : 1
        if workers > 1 && (pool?.workerCount ?? 0) < workers - 1 { pool = WorkerPool(workerCount: workers - 1) }
        elementBlocks = workers > 1 ? ElementBlocks(pool: pool, threads: workers) : .serial
        let started = DispatchTime.now().uptimeNanoseconds
        losses.withUnsafeMutableBufferPointer { losses in
            correct.withUnsafeMutableBufferPointer { correct in
                seconds.withUnsafeMutableBufferPointer { seconds in
                    processorSeconds.withUnsafeMutableBufferPointer { processorSeconds in
                        // Each thread takes the next chunk not yet taken and writes only its chunks'
                        // slots, so a thread that the system sets aside holds up one chunk, not a share.
                        let work = ChunkWork(batches: self, batch: batch, divisor: divisor, differentiate: differentiate,
                                             losses: losses, correct: correct, seconds: seconds,
                                             processorSeconds: processorSeconds,
                                             timesChunks: threads > 1, timesProcessor: workers > 1)
                        if workers == 1 {
                            for chunk in 0..<chunkCount { work.run(chunk) }
                        } else {
                            let claims = ClaimCounter()
                            defer { claims.deallocate() }
                            workerPool.run(participantCount: workers) { _ in
                                while true {
                                    let chunk = claims.take()
                                    guard chunk < chunkCount else { break }
                                    work.run(chunk)
                                }
                            }
                        }
                    }
                }
            }
        }
        // Add the chunks' gradients and losses in chunk order.
        if differentiate { collectGradients(chunkCount: chunkCount) }

        // The batch's time, chunks and sums, is what one thread or several is chosen by.
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if available > 1 {
            pace.record(secondsPerSample: elapsed / Double(max(1, batch.count)), parallel: workers > 1, differentiate: differentiate,
                        coreShare: processorSeconds.reduce(0, +) / max(1e-9, seconds.reduce(0, +)))
        }
        if threads > 1 { secondsPerChunk = seconds.reduce(0, +) / Double(max(1, chunkCount)) }
        lastChunkCount = chunkCount
        return Result(loss: losses.reduce(0, +), correct: correct.reduce(0, +))
    }

    /// Sets each parameter's `gradients` to the sum of its gradients in the first `chunkCount`
    /// graphs, in chunk order (`sumGradients(of:into:elements:)`), with the blocks of elements shared
    /// out by `elementBlocks`. Each element is summed by one thread, in the same order whichever.
    private func collectGradients(chunkCount: Int) {
        let sources = parameters.map { parameter in graphs[0..<chunkCount].compactMap { $0.boundTensor(for: parameter) } }
        withBuffers(of: parameters) { _, gradients in
            elementBlocks.forEachBlock(counts: gradients.map(\.count)) { parameter, elements in
                sumGradients(of: sources[parameter], into: gradients[parameter], elements: elements)
            }
        }
    }

    /// Measures the graph of one sample of `batch` (forward and loss) and picks the chunk size.
    private func settleChunkSize(_ batch: Dataset) -> Int {
        guard batch.count > 0 else { return Self.smallChunkSize }
        let graph = Graph()
        let outputs = model(constantTensor(shape: [1] + batch.sampleShape, values: batch.features[0..<batch.featureCount], in: graph))
        _ = loss(outputs: outputs, targets: batch.targets.subset(0..<1))
        let size = Self.chunkSize(parameterCount: parameters.reduce(0) { $0 + $1.count }, sampleGraph: graph.statistics())
        chunkSize = size
        return size
    }

    /// Forward (and backward) of one chunk on its own graph.
    fileprivate func run(chunk: Int, of batch: Dataset, divisor: Int, differentiate: Bool) -> (loss: Double, correct: Int) {
        let chunkSize = self.chunkSize ?? Self.smallChunkSize
        let samples = (chunk * chunkSize)..<min(batch.count, (chunk + 1) * chunkSize)
        let width = batch.featureCount
        let graph = graphs[chunk]
        graph.reset()
        // The chunk's features straight from the batch, without copying them into a new dataset.
        let features = batch.features[(samples.lowerBound * width)..<(samples.upperBound * width)]
        let outputs = model(constantTensor(shape: [samples.count] + batch.sampleShape, values: features, in: graph))
        let targets = batch.targets.subset(samples)
        let chunkLoss = loss(outputs: outputs, targets: targets, samples: divisor)
        if differentiate { chunkLoss.backward() }
        return (chunkLoss.value, countCorrect(outputs, targets))
    }
}

/// The per-chunk job of one batch, shared by the worker threads. Each chunk writes only its own
/// slots and uses only its own graph; the model's parameters are only read.
private struct ChunkWork: @unchecked Sendable {
    let batches: BatchGradients
    let batch: Dataset
    let divisor: Int
    let differentiate: Bool
    let losses: UnsafeMutableBufferPointer<Double>
    let correct: UnsafeMutableBufferPointer<Int>
    let seconds: UnsafeMutableBufferPointer<Double>
    /// The processor time of the thread that ran each chunk: less than `seconds` when the system
    /// gave its core to another process meanwhile.
    let processorSeconds: UnsafeMutableBufferPointer<Double>
    /// Whether to fill `seconds`: only the choice between one thread and several needs it.
    let timesChunks: Bool
    /// Whether to fill `processorSeconds` (a system call per chunk): only on several threads.
    let timesProcessor: Bool

    func run(_ chunk: Int) {
        let start = timesChunks ? DispatchTime.now().uptimeNanoseconds : 0
        let processorStart = timesProcessor ? threadProcessorSeconds() : 0
        let result = batches.run(chunk: chunk, of: batch, divisor: divisor, differentiate: differentiate)
        losses[chunk] = result.loss
        correct[chunk] = result.correct
        if timesChunks { seconds[chunk] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        if timesProcessor { processorSeconds[chunk] = threadProcessorSeconds() - processorStart }
    }
}

/// The number of samples whose predicted class (see `predictedClass(_:)`) is their label.
func countCorrect(_ outputs: TensorGrad, _ targets: Dataset.Targets) -> Int {
    guard case .classes(let labels, _) = targets else { return 0 }
    let values = outputs.values
    let width = values.count / labels.count
    var correct = 0
    for (sample, label) in labels.enumerated() where predictedClass(values[(sample * width)..<((sample + 1) * width)]) == label {
        correct += 1
    }
    return correct
}

/// Chooses between one thread and several from their recent speed, because several are slower
/// when other processes take the cores (the batch waits for its slowest thread). It times every
/// batch per sample (forward-only and training batches apart), follows the faster choice (several
/// threads only when at least 20% faster, and only while each of them had at least 90% of a core
/// during its chunks: processor time over wall time), and tries the other one now and then to keep
/// its figure current (a probe's time replaces the old figure; the chosen choice's times are
/// averaged): several threads one batch in `probeInterval`, one thread only one batch in
/// `serialProbeInterval`, since a probe on one thread costs the speed of several and the threads'
/// share of their cores already tells when other processes take them. It changes speed only: the
/// chunks, and so the results, are the same either way.
struct Pace {
    static let probeInterval = 16
    static let serialProbeInterval = 64
    /// Recent seconds per sample, by [differentiate][parallel], as exponential averages.
    private var seconds: [[Double?]] = [[nil, nil], [nil, nil]]
    private var batches = 0
    /// Whether the current batch tries the choice that is not preferred, to keep its figure current.
    private var isProbing = false
    /// Whether the first batch of each kind on each choice has been left out of the averages, by
    /// [differentiate][parallel]: the first of all builds graphs and settles the chunk size, the
    /// first on several threads starts them, and both are slow.
    private var warmedUp = [[false, false], [false, false]]

    /// The share of a core the threads had during the last batch on several threads (processor
    /// time over wall time of its chunks): below `busyShare`, other processes hold the cores.
    private var parallelCoreShare = 1.0
    static let busyShare = 0.9

    mutating func prefersParallel(differentiate: Bool) -> Bool {
        batches += 1
        isProbing = false
        let figures = seconds[differentiate ? 1 : 0]
        guard let serial = figures[0] else { return false }
        guard let parallel = figures[1] else { return true }
        // Several threads must win clearly, and only while they have their cores to themselves:
        // timings on a shared machine are noisy, and a wrong choice of one thread costs less than
        // a wrong choice of several (a batch waits for a thread the system has set aside).
        let faster = parallel < 0.8 * serial && parallelCoreShare >= Self.busyShare
        isProbing = batches % (faster ? Self.serialProbeInterval : Self.probeInterval) == 0
        return isProbing ? !faster : faster
    }

    mutating func record(secondsPerSample: Double, parallel: Bool, differentiate: Bool, coreShare: Double) {
        let (row, column) = (differentiate ? 1 : 0, parallel ? 1 : 0)
        if parallel { parallelCoreShare = coreShare }
        guard warmedUp[row][column] else {
            warmedUp[row][column] = true
            return
        }
        // A probe's figure replaces the old one, which may be many batches old; the chosen
        // configuration's figures are averaged, to ride out a slow batch.
        let previous = isProbing ? nil : seconds[row][column]
        seconds[row][column] = previous.map { 0.75 * $0 + 0.25 * secondsPerSample } ?? secondsPerSample
    }
}

/// The processor time the calling thread has used, in seconds.
private func threadProcessorSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
