import Foundation

/// The learning rate as a function of the epoch: an optional linear warm-up followed by a
/// constant rate, step decay or cosine annealing.
///
/// With `W = warmupEpochs`, the rate at 0-based epoch `e` for a base rate `lr₀` is
///
///     lr(e) = lr₀·(e + 1)/(W + 1)     for e < W
///     lr(e) = schedule(e − W)         for e ≥ W
///
/// so the warm-up climbs in equal steps of `lr₀/(W + 1)`, never trains an epoch at rate 0, and
/// meets the schedule's starting rate `schedule(0) = lr₀` at epoch `W`.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The schedule that runs after the warm-up, as a function of `e` counted from its start.
    public enum Kind: Sendable, Equatable {
        /// `lr(e) = lr₀`.
        case constant
        /// `lr(e) = lr₀·γ^⌊e / stepSize⌋`, the closed form of `torch.optim.lr_scheduler.StepLR`.
        case stepDecay(stepSize: Int, gamma: Double)
        /// `lr(e) = min + (lr₀ − min)·(1 + cos(π·e/T))/2` for `e ≤ T` and `min` after, with
        /// `T = totalEpochs`: the closed form of `torch.optim.lr_scheduler.CosineAnnealingLR`,
        /// held at `min` instead of rising again.
        case cosineAnnealing(totalEpochs: Int, minimum: Double)
    }

    /// The schedule after the warm-up.
    public let kind: Kind
    /// The number of warm-up epochs `W`; 0 for none.
    public let warmupEpochs: Int

    /// Creates a schedule of `kind` preceded by `warmupEpochs` epochs of linear warm-up.
    public init(_ kind: Kind = .constant, warmupEpochs: Int = 0) {
        precondition(warmupEpochs >= 0, "The number of warm-up epochs must be non-negative; got \(warmupEpochs).")
        switch kind {
        case .constant:
            break
        case let .stepDecay(stepSize, gamma):
            precondition(stepSize > 0, "The step decay's step size must be positive; got \(stepSize).")
            precondition(gamma >= 0, "The step decay's gamma must be non-negative; got \(gamma).")
        case let .cosineAnnealing(totalEpochs, minimum):
            precondition(totalEpochs > 0, "Cosine annealing needs a positive number of epochs; got \(totalEpochs).")
            precondition(minimum >= 0, "Cosine annealing's minimum rate must be non-negative; got \(minimum).")
        }
        self.kind = kind
        self.warmupEpochs = warmupEpochs
    }

    /// The constant base rate, without warm-up.
    public static let constant = LearningRateSchedule()

    /// Multiplies the rate by `gamma` every `stepSize` epochs after `warmupEpochs` of warm-up.
    public static func stepDecay(stepSize: Int, gamma: Double, warmupEpochs: Int = 0) -> LearningRateSchedule {
        LearningRateSchedule(.stepDecay(stepSize: stepSize, gamma: gamma), warmupEpochs: warmupEpochs)
    }

    /// Anneals the rate from the base rate to `minimum` over `totalEpochs` along a half cosine,
    /// after `warmupEpochs` of warm-up.
    public static func cosineAnnealing(totalEpochs: Int, minimum: Double = 0, warmupEpochs: Int = 0) -> LearningRateSchedule {
        LearningRateSchedule(.cosineAnnealing(totalEpochs: totalEpochs, minimum: minimum), warmupEpochs: warmupEpochs)
    }

    /// Returns the learning rate for the 0-based `epoch` when the base rate is `base`.
    public func learningRate(epoch: Int, base: Double) -> Double {
        precondition(epoch >= 0, "Epochs are counted from 0; got \(epoch).")
        if epoch < warmupEpochs {
            return base * Double(epoch + 1) / Double(warmupEpochs + 1)
        }
        let scheduledEpoch = epoch - warmupEpochs
        switch kind {
        case .constant:
            return base
        case let .stepDecay(stepSize, gamma):
            return base * pow(gamma, Double(scheduledEpoch / stepSize))
        case let .cosineAnnealing(totalEpochs, minimum):
            guard scheduledEpoch < totalEpochs else { return minimum }
            let angle = Double.pi * Double(scheduledEpoch) / Double(totalEpochs)
            return minimum + (base - minimum) * (1 + cos(angle)) / 2
        }
    }
}
