import Baifs
import Foundation
import TestSupport
import Testing

struct LearningRateScheduleTests {
    private static func rates(_ schedule: LearningRateSchedule, base: Double, epochs: Range<Int>) -> [Double] {
        epochs.map { schedule.learningRate(epoch: $0, base: base) }
    }

    @Test func constantKeepsTheBaseRate() {
        #expect(Self.rates(.constant, base: 0.1, epochs: 0..<4) == [0.1, 0.1, 0.1, 0.1])
    }

    @Test func stepDecayMultipliesByGammaEveryStepSizeEpochs() {
        // 0.1 for epochs 0–2, 0.1·0.5 for 3–5, 0.1·0.25 for 6.
        let schedule = LearningRateSchedule.stepDecay(stepSize: 3, gamma: 0.5)
        expectApproximatelyEqual(Self.rates(schedule, base: 0.1, epochs: 0..<7), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], relative: 0, absolute: 1e-15)
    }

    @Test func cosineAnnealingFollowsTheHalfCosineToTheMinimum() {
        // min + (0.1 − min)·(1 + cos(π·e/4))/2 with min = 0.01, and cos(π/4) = √2/2:
        let halfRoot2 = 2.0.squareRoot() / 2
        let expected = [
            0.1,                                 // e = 0: cos 0 = 1
            0.01 + 0.09 * (1 + halfRoot2) / 2,   // e = 1
            0.01 + 0.09 / 2,                     // e = 2: cos(π/2) = 0
            0.01 + 0.09 * (1 - halfRoot2) / 2,   // e = 3
            0.01,                                // e = 4: cos π = −1
            0.01, 0.01,                          // held at the minimum
        ]
        let schedule = LearningRateSchedule.cosineAnnealing(totalEpochs: 4, minimum: 0.01)
        expectApproximatelyEqual(Self.rates(schedule, base: 0.1, epochs: 0..<7), expected, relative: 0, absolute: 1e-15)
    }

    @Test func warmupRisesLinearlyToTheBaseRate() {
        // W = 3: 0.1·1/4, 0.1·2/4, 0.1·3/4, then the constant 0.1.
        let schedule = LearningRateSchedule(.constant, warmupEpochs: 3)
        expectApproximatelyEqual(Self.rates(schedule, base: 0.1, epochs: 0..<5), [0.025, 0.05, 0.075, 0.1, 0.1], relative: 0, absolute: 1e-15)
    }

    @Test func stepDecayCountsEpochsFromTheEndOfWarmup() {
        // W = 2: 0.3·1/3, 0.3·2/3, then step decay on e − 2: 0.3, 0.3, 0.03, 0.03, 0.003.
        let schedule = LearningRateSchedule.stepDecay(stepSize: 2, gamma: 0.1, warmupEpochs: 2)
        expectApproximatelyEqual(Self.rates(schedule, base: 0.3, epochs: 0..<7), [0.1, 0.2, 0.3, 0.3, 0.03, 0.03, 0.003], relative: 0, absolute: 1e-15)
    }

    @Test func cosineAnnealingAfterWarmupReachesTheMinimumAtWarmupPlusTotal() {
        // W = 1, T = 2: 0.2·1/2, then 0.2, (0.2 + 0)/2 = 0.1, then 0.
        let schedule = LearningRateSchedule.cosineAnnealing(totalEpochs: 2, warmupEpochs: 1)
        expectApproximatelyEqual(Self.rates(schedule, base: 0.2, epochs: 0..<5), [0.1, 0.2, 0.1, 0, 0], relative: 0, absolute: 1e-15)
    }

    @Test func schedulesCompareByKindAndWarmup() {
        #expect(LearningRateSchedule.stepDecay(stepSize: 2, gamma: 0.5)
                == LearningRateSchedule(.stepDecay(stepSize: 2, gamma: 0.5)))
        #expect(LearningRateSchedule.constant != LearningRateSchedule(.constant, warmupEpochs: 1))
    }

    @Test func optimizerFollowsTheScheduleEpochByEpoch() {
        var optimizer = SGD(learningRate: 0)
        let parameter = Parameter(shape: [1], values: [0])
        parameter.gradients = [-1]
        let schedule = LearningRateSchedule.stepDecay(stepSize: 1, gamma: 0.5, warmupEpochs: 1)
        for epoch in 0..<3 {
            optimizer.learningRate = schedule.learningRate(epoch: epoch, base: 1)
            optimizer.update([parameter])
        }
        // Rates 0.5, 1, 0.5 on a gradient of −1.
        #expect(parameter.values == [2])
    }
}
