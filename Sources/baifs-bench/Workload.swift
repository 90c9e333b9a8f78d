import Baifs

/// What one benchmark measured.
struct WorkloadResult {
    var microsecondsPerStep: Double
    var nodesPerStep: Int
    var tapeNodesPerStep: Int
    var referenceMicrosecondsPerStep: Double?
    /// The step's arithmetic counted as a dense implementation does it (see `LayerWork`).
    var flopsPerStep: Double = 0
    var nanosecondsPerNode: Double { microsecondsPerStep * 1000 / Double(nodesPerStep) }
    /// Floating-point operations per second, in units of 10⁹.
    var gigaflops: Double { flopsPerStep / (microsecondsPerStep * 1e3) }
}

/// The multiply-adds of one linear or convolution layer for one sample, and whether its input's
/// gradient is computed (not for the first layer, whose input is data).
struct LayerWork {
    var multiplyAdds: Int
    var inputGradient: Bool

    /// A linear layer `inputs → outputs`.
    static func linear(_ inputs: Int, _ outputs: Int, first: Bool = false) -> LayerWork {
        LayerWork(multiplyAdds: inputs * outputs, inputGradient: !first)
    }

    /// A k×k convolution `channels → outputs` over `height × width` output positions.
    static func convolution(_ channels: Int, _ outputs: Int, kernel: Int = 3, height: Int, width: Int, first: Bool = false) -> LayerWork {
        LayerWork(multiplyAdds: channels * outputs * kernel * kernel * height * width, inputGradient: !first)
    }

    /// The floating-point operations of a training step of `batch` samples, counting a multiply-add as
    /// 2: forward, the weights' gradient, and the input's gradient where it is computed (the same
    /// count for every implementation; baifs also skips the work of zero gradients, which this does
    /// not credit).
    static func trainingFLOPs(_ layers: [LayerWork], batch: Int) -> Double {
        Double(batch) * layers.reduce(0.0) { total, layer in
            total + 2 * Double(layer.multiplyAdds) * (layer.inputGradient ? 3 : 2)
        }
    }

    static func mlp(_ sizes: [Int]) -> [LayerWork] {
        (0..<(sizes.count - 1)).map { linear(sizes[$0], sizes[$0 + 1], first: $0 == 0) }
    }

    /// MicroResNet with one residual block: stem conv 1 → c, two c → c convs, linear c·s·s → outputs.
    static func microResNet(side: Int, channels: Int, outputs: Int) -> [LayerWork] {
        [convolution(1, channels, height: side, width: side, first: true),
         convolution(channels, channels, height: side, width: side),
         convolution(channels, channels, height: side, width: side),
         linear(channels * side * side, outputs)]
    }
}

/// A named training step timed on the engine and by hand.
struct Workload: Sendable {
    let name: String
    let work: [LayerWork]
    let batch: Int
    let measure: @Sendable (_ threads: Int) -> WorkloadResult

    init(name: String, work: [LayerWork], batch: Int, measure: @escaping @Sendable (_ threads: Int) -> WorkloadResult) {
        self.name = name
        self.work = work
        self.batch = batch
        self.measure = measure
    }

    var flopsPerStep: Double { LayerWork.trainingFLOPs(work, batch: batch) }

    /// The workloads of BENCHMARKS.md.
    static let all: [Workload] = [
        Workload(name: "toy-mlp/b1", work: LayerWork.mlp([2, 16, 16, 1]), batch: 1) { threads in toyMLP(batch: 1, threads: threads) },
        Workload(name: "toy-mlp/b16", work: LayerWork.mlp([2, 16, 16, 1]), batch: 16) { threads in toyMLP(batch: 16, threads: threads) },
        Workload(name: "mlp-64", work: LayerWork.mlp([64, 32, 10]), batch: 32) { _ in
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
        Workload(name: "mlp-64/solver", work: LayerWork.mlp([64, 32, 10]), batch: 32) { threads in
            // The same MLP through the solver's path: chunks of 8 samples, on `threads` threads.
            var generator = RandomGenerator(seed: 1)
            let model = MLP(sizes: [64, 32, 10], activation: .relu, generator: &generator)
            return measure(ModelStep(model: model, batch: 32, sampleShape: [64], outputs: 10, learningRate: 0.1,
                                     threads: threads, generator: &generator))
        },
        Workload(name: "cnn-8x8", work: LayerWork.microResNet(side: 8, channels: 4, outputs: 10), batch: 16) { threads in
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
        // The MNIST-scale workloads of issue 14: MLPs with ReLU hidden layers and MicroResNets with
        // 8 channels, through the solver's path (chunks, `threads` threads).
        Workload(name: "mlp-784x128", work: LayerWork.mlp([784, 128, 10]), batch: 64) { threads in
            mlp(sizes: [784, 128, 10], batch: 64, threads: threads)
        },
        Workload(name: "mlp-784x512x512", work: LayerWork.mlp([784, 512, 512, 10]), batch: 64) { threads in
            mlp(sizes: [784, 512, 512, 10], batch: 64, threads: threads)
        },
        Workload(name: "cnn-16x16c8", work: LayerWork.microResNet(side: 16, channels: 8, outputs: 10), batch: 32) { threads in
            microResNet(side: 16, batch: 32, threads: threads)
        },
        Workload(name: "cnn-28x28c8", work: LayerWork.microResNet(side: 28, channels: 8, outputs: 10), batch: 32) { threads in
            microResNet(side: 28, batch: 32, threads: threads)
        },
    ]

    /// An MLP with ReLU hidden layers, MSE, SGD 0.1.
    static func mlp(sizes: [Int], batch: Int, threads: Int) -> WorkloadResult {
        var generator = RandomGenerator(seed: 1)
        let model = MLP(sizes: sizes, activation: .relu, generator: &generator)
        return measure(ModelStep(model: model, batch: batch, sampleShape: [sizes[0]], outputs: sizes.last!, learningRate: 0.1,
                                 threads: threads, generator: &generator))
    }

    /// 1×side×side input; Conv2D 1→8 3×3 pad 1, ReLU; a residual block of two 8→8 3×3 convolutions;
    /// flatten; Linear 8·side²→10. MSE, SGD 0.05, global-norm clipping at 1 (as cnn-8x8).
    static func microResNet(side: Int, batch: Int, threads: Int) -> WorkloadResult {
        var generator = RandomGenerator(seed: 1)
        let model = MicroResNet(inputShape: [1, side, side], stemChannels: 8, blockChannels: [8], outputs: 10, generator: &generator)
        return measure(ModelStep(model: model, batch: batch, sampleShape: [1, side, side], outputs: 10, learningRate: 0.05,
                                 clipping: .byNorm(1), threads: threads, generator: &generator))
    }

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
