import Baifs

extension OptimizerSection {
    /// The configured optimizer.
    public func makeOptimizer() -> any Optimizer {
        switch kind {
        case .sgd: SGD(learningRate: learningRate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        case .adam: Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        case .adamw: AdamW(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        }
    }
}

extension ClippingSection {
    /// The configured gradient clipping.
    public var gradientClipping: GradientClipping {
        switch kind {
        case .none: .none
        case .value: .byValue(threshold)
        case .norm: .byNorm(threshold)
        }
    }
}

extension ScheduleSection {
    /// The configured schedule for a run of `epochs` epochs; cosine annealing runs over the epochs
    /// after warm-up (T = epochs − warm-up, as PyTorch's `T_max`), so its minimum would come one
    /// epoch after the last.
    public func learningRateSchedule(epochs: Int) -> LearningRateSchedule {
        switch kind {
        case .constant: LearningRateSchedule(.constant, warmupEpochs: warmupEpochs)
        case .step: .stepDecay(stepSize: stepSize, gamma: gamma, warmupEpochs: warmupEpochs)
        case .cosine: .cosineAnnealing(totalEpochs: max(1, epochs - warmupEpochs), minimum: minimum, warmupEpochs: warmupEpochs)
        }
    }
}
