import Autograd
import Foundation

/// Computes the loss of a batch and the gradients of a model's parameters, data-parallel and
/// reproducible: the batch is cut into chunks of `chunkSize` samples, each chunk is run forward and
/// backward on its own graph (on up to `threads` threads at once), and the chunks' losses and
/// gradients are added in chunk order.
///
/// The chunks do not depend on the number of threads, and neither does the order of the additions,
/// so results are bit-identical whatever `threads` is. Each chunk's loss is averaged over the whole
/// batch (`Loss(…, samples: batchSize)`), so the chunks' losses and gradients add up to the batch's.
public final class BatchGradients {
    /// Samples per chunk.
    public static let chunkSize = 8

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
    /// The threads besides the caller's, started on first need.
    private var pool: WorkerPool?
    private var workerPool: WorkerPool { pool! }

    /// Runs `batch` forward (and, with `differentiate`, backward, leaving the batch gradient in every
    /// parameter's `gradients`), with each chunk's loss divided by `samples` (default: the batch's size).
    public func compute(_ batch: Dataset, samples: Int? = nil, differentiate: Bool) -> Result {
        let chunkCount = (batch.count + Self.chunkSize - 1) / Self.chunkSize
        while graphs.count < chunkCount { graphs.append(Graph()) }
        let divisor = samples ?? batch.count
        var losses = [Double](repeating: 0, count: chunkCount)
        var correct = [Int](repeating: 0, count: chunkCount)
        var seconds = [Double](repeating: 0, count: chunkCount)

        // More threads than cores (or chunks) would only wait for each other.
        let workers = secondsPerChunk >= parallelThreshold ? min(threads, chunkCount, ProcessInfo.processInfo.activeProcessorCount) : 1
        if workers > 1 && (pool?.workerCount ?? 0) < workers - 1 { pool = WorkerPool(workerCount: workers - 1) }
        losses.withUnsafeMutableBufferPointer { losses in
            correct.withUnsafeMutableBufferPointer { correct in
                seconds.withUnsafeMutableBufferPointer { seconds in
                    // Each worker takes every `workers`-th chunk and writes only its chunks' slots.
                    let work = ChunkWork(batches: self, batch: batch, divisor: divisor, differentiate: differentiate,
                                         losses: losses, correct: correct, seconds: seconds)
                    if workers == 1 {
                        for chunk in 0..<chunkCount { work.run(chunk) }
                    } else {
                        workerPool.run(participantCount: workers) { worker in
                            for chunk in stride(from: worker, to: chunkCount, by: workers) { work.run(chunk) }
                        }
                    }
                }
            }
        }
        secondsPerChunk = seconds.reduce(0, +) / Double(max(1, chunkCount))
        lastChunkCount = chunkCount

        // Add the chunks' gradients and losses in chunk order.
        if differentiate {
            for parameter in parameters {
                parameter.zeroGradients()
                for chunk in 0..<chunkCount { parameter.collectGradients(from: graphs[chunk]) }
            }
        }
        return Result(loss: losses.reduce(0, +), correct: correct.reduce(0, +))
    }

    /// Forward (and backward) of one chunk on its own graph.
    fileprivate func run(chunk: Int, of batch: Dataset, divisor: Int, differentiate: Bool) -> (loss: Double, correct: Int) {
        let start = chunk * Self.chunkSize
        let part = batch.subset(Array(start..<min(batch.count, start + Self.chunkSize)))
        let graph = graphs[chunk]
        graph.reset()
        let outputs = model(tensor(shape: [part.count] + part.sampleShape, values: part.features, in: graph))
        let chunkLoss = loss(outputs: outputs, targets: part.targets, samples: divisor)
        if differentiate { chunkLoss.backward() }
        return (chunkLoss.value, countCorrect(outputs, part.targets))
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

    func run(_ chunk: Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = batches.run(chunk: chunk, of: batch, divisor: divisor, differentiate: differentiate)
        losses[chunk] = result.loss
        correct[chunk] = result.correct
        seconds[chunk] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
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
