/// Everything besides the model's parameters that a training run needs to continue exactly where
/// it stopped: saved with each checkpoint, restored by `Solver.restore(_:)`.
public struct SolverState: Sendable, Equatable, Codable {
    /// Epochs completed.
    public var completedEpochs = 0
    /// Optimizer steps taken, over all epochs.
    public var step = 0
    /// The generator for everything still to be drawn.
    public var generator: RandomGenerator
    /// The generator as it was when the current epoch began (before its shuffle), mid-epoch only.
    public var epochGenerator: RandomGenerator?
    /// Batches of the current epoch already trained on.
    public var batchesDoneInEpoch = 0
    /// Running sums of the current epoch.
    public var epochProgress = EpochProgress()
    /// The optimizer's buffers and step count.
    public var optimizer: OptimizerState
    /// The metrics of every completed epoch.
    public var history: [EpochMetrics] = []
    /// The epoch (from 1) with the best monitored value so far, and that value.
    public var bestEpoch: Int?
    /// The monitored metric's value at `bestEpoch`.
    public var bestValue: Double?
    /// Completed epochs since the monitored value last improved.
    public var epochsWithoutImprovement = 0

    /// The state before the first step: the shuffling generator and the optimizer's empty buffers.
    public init(generator: RandomGenerator, optimizer: OptimizerState) {
        self.generator = generator
        self.optimizer = optimizer
    }
}

/// Running sums over the batches of one epoch.
public struct EpochProgress: Sendable, Equatable, Codable {
    /// `Σ loss · samples` over the batches so far.
    public var lossSum = 0.0
    /// The samples trained on so far.
    public var samples = 0
    /// The samples classified correctly so far (classification).
    public var correct = 0
    /// `Σ ‖g‖₂` over the steps so far, before clipping.
    public var gradientNormSum = 0.0
    /// The optimizer steps so far.
    public var steps = 0

    /// No batch trained yet.
    public init() {}
}
