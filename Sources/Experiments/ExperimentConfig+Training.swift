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
    /// The configured schedule for a run of `epochs` epochs; cosine annealing reaches its minimum
    /// at the last epoch after warm-up.
    public func learningRateSchedule(epochs: Int) -> LearningRateSchedule {
        switch kind {
        case .constant: LearningRateSchedule(.constant, warmupEpochs: warmupEpochs)
        case .step: .stepDecay(stepSize: stepSize, gamma: gamma, warmupEpochs: warmupEpochs)
        case .cosine: .cosineAnnealing(totalEpochs: max(1, epochs - warmupEpochs), minimum: minimum, warmupEpochs: warmupEpochs)
        }
    }
}
