import Baifs

/// What one benchmark measured.
struct WorkloadResult {
    var microsecondsPerStep: Double
    var nodesPerStep: Int
    var tapeNodesPerStep: Int
    var referenceMicrosecondsPerStep: Double?
    var nanosecondsPerNode: Double { microsecondsPerStep * 1000 / Double(nodesPerStep) }
}

/// A named training step timed on the engine and by hand.
struct Workload: Sendable {
    let name: String
    let measure: @Sendable (_ threads: Int) -> WorkloadResult

    /// The workloads of BENCHMARKS.md.
    static let all: [Workload] = [
        Workload(name: "toy-mlp/b1") { threads in toyMLP(batch: 1, threads: threads) },
        Workload(name: "toy-mlp/b16") { threads in toyMLP(batch: 16, threads: threads) },
        Workload(name: "mlp-64") { _ in
            // MLP 64→32→10, ReLU hidden, batch 32, MSE, SGD with learning rate 0.1; the engine step is
            // checked against a hand-written one that starts from the same weights and data.
            // (The engine step here is one graph on one thread, to compare like with like.)
            var engine = EngineMLPStep(sizes: [64, 32, 10], batch: 32, learningRate: 0.1, seed: 1) { $0.relu() }
            let reference = ReferenceMLPStep(sizes: [64, 32, 10], batch: 32, learningRate: 0.1, seed: 1, activation: .relu)
            checkSameComputation(name: "mlp-64", engine: { engine.step() }, reference: { reference.step() })
            let time = medianMicroseconds { engine.step() }
            let referenceTime = medianMicroseconds { reference.step() }
            return WorkloadResult(microsecondsPerStep: time.median, nodesPerStep: engine.graph.scalarOperationCount,
                                  tapeNodesPerStep: engine.graph.nodeCount, referenceMicrosecondsPerStep: referenceTime.median)
        },
        Workload(name: "mlp-64/solver") { threads in
            // The same MLP through the solver's path: chunks of 8 samples, on `threads` threads.
            var generator = RandomGenerator(seed: 1)
            let model = MLP(sizes: [64, 32, 10], activation: .relu, generator: &generator)
            return measure(ModelStep(model: model, batch: 32, sampleShape: [64], outputs: 10, learningRate: 0.1,
                                     threads: threads, generator: &generator))
        },
        Workload(name: "cnn-8x8") { threads in
            // 1×8×8 input; Conv2D 1→4 3×3 pad 1, ReLU; residual block of two 4→4 3×3 convolutions;
            // flatten; Linear 256→10. Batch 16, MSE, SGD 0.05, global-norm clipping at 1.
            var generator = RandomGenerator(seed: 1)
            let model = Sequential([
                Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, generator: &generator),
                ReLU(),
                ResidualBlock(inputChannels: 4, outputChannels: 4, generator: &generator),
                Flatten(),
                Linear(inputSize: 256, outputSize: 10, generator: &generator),
            ])
            let step = ModelStep(model: model, batch: 16, sampleShape: [1, 8, 8], outputs: 10, learningRate: 0.05,
                                 clipping: .byNorm(1), threads: threads, generator: &generator)
            return measure(step)
        },
    ]

    /// MLP 2→16→16→1, tanh hidden, linear output, SGD 0.05.
    static func toyMLP(batch: Int, threads: Int) -> WorkloadResult {
        var generator = RandomGenerator(seed: 1)
        let model = MLP(sizes: [2, 16, 16, 1], activation: .tanh, generator: &generator)
        let step = ModelStep(model: model, batch: batch, sampleShape: [2], outputs: 1, learningRate: 0.05,
                             threads: threads, generator: &generator)
        return measure(step)
    }

    static func measure(_ step: ModelStep) -> WorkloadResult {
        let time = medianMicroseconds { step.step() }
        let counts = step.nodeCounts
        return WorkloadResult(microsecondsPerStep: time.median, nodesPerStep: counts.scalar,
                              tapeNodesPerStep: counts.tape, referenceMicrosecondsPerStep: nil)
    }
}

/// Stops the benchmark unless the engine and the hand-written step give the same losses over a few
/// steps from the same start, so that the two timings are of the same computation.
func checkSameComputation(name: String, engine: () -> Double, reference: () -> Double) {
    for step in 0..<3 {
        let (engineLoss, referenceLoss) = (engine(), reference())
        let tolerance = 1e-12 * max(1, abs(referenceLoss))
        precondition(abs(engineLoss - referenceLoss) <= tolerance,
                     "\(name): the engine's loss \(engineLoss) differs from the hand-written step's \(referenceLoss) at step \(step).")
    }
}
