import Baifs
import Foundation
import TestSupport
import Testing

struct AdamTests {
    /// Runs one update of `optimizer` per gradient on a one-value parameter starting at
    /// `initial`, and returns the value after each step.
    private static func trajectory(_ optimizer: some Optimizer, initial: Double, gradients: [Double]) -> [Double] {
        var optimizer = optimizer
        let parameter = Parameter(shape: [1], values: [initial])
        return gradients.map { gradient in
            parameter.gradients = [gradient]
            optimizer.update([parameter])
            return parameter.values[0]
        }
    }

    @Test func biasCorrectedStepsMatchTheHandComputedValues() {
        // lr = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, p₀ = 1, gradients 0.5 then −1.
        // Step 1: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025,
        //         m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25, √v̂ = 0.5.
        let first = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
        // Step 2: m = 0.9·0.05 + 0.1·(−1) = −0.055, v = 0.999·0.00025 + 0.001·1 = 0.00124975,
        //         1 − β₁² = 0.19, 1 − β₂² = 0.001999.
        let firstMomentHat = -0.055 / 0.19
        let secondMomentHat = 0.00124975 / 0.001999
        let second = first - 0.1 * firstMomentHat / (secondMomentHat.squareRoot() + 1e-8)
        let values = Self.trajectory(Adam(learningRate: 0.1), initial: 1, gradients: [0.5, -1])
        expectApproximatelyEqual(values, [first, second], relative: 1e-12, absolute: 1e-12)
    }

    @Test func firstStepMovesByTheLearningRateWhateverTheGradientScale() {
        // m̂ = g and v̂ = g² on step 1, so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        for gradient in [1e-4, 3.0, -250.0] {
            let values = Self.trajectory(Adam(learningRate: 0.01), initial: 0, gradients: [gradient])
            let expected = -0.01 * gradient / (abs(gradient) + 1e-8)
            expectApproximatelyEqual(values, [expected], relative: 1e-12, absolute: 1e-12)
        }
    }

    @Test func adamWeightDecayAddsTheL2PenaltyToTheGradient() {
        // λ = 0.1, lr = 0.1, g = 0.5, p₀ = 1.
        // Step 1: g' = 0.5 + 0.1·1 = 0.6, m̂ = 0.6, v̂ = 0.36.
        let first = 1 - 0.1 * 0.6 / (0.6 + 1e-8)
        // Step 2: g' = 0.5 + 0.1·p₁, m = 0.9·0.06 + 0.1·g', v = 0.999·0.00036 + 0.001·g'².
        let decayed = 0.5 + 0.1 * first
        let firstMoment = 0.9 * 0.06 + 0.1 * decayed
        let secondMoment = 0.999 * 0.00036 + 0.001 * decayed * decayed
        let second = first - 0.1 * (firstMoment / 0.19) / ((secondMoment / 0.001999).squareRoot() + 1e-8)
        let values = Self.trajectory(Adam(learningRate: 0.1, weightDecay: 0.1), initial: 1, gradients: [0.5, 0.5])
        expectApproximatelyEqual(values, [first, second], relative: 1e-12, absolute: 1e-12)
    }

    @Test func adamWDecaysTheWeightsBeforeTheAdamStep() {
        // λ = 0.1, lr = 0.1, g = 0.5, p₀ = 1; each step first multiplies p by 1 − 0.1·0.1 = 0.99.
        // Step 1: m̂ = 0.5, v̂ = 0.25.
        // Step 2: m = 0.095, v = 0.00049975, m̂ = 0.095/0.19 = 0.5, v̂ = 0.00049975/0.001999 = 0.25.
        let first = 1 * 0.99 - 0.1 * 0.5 / (0.5 + 1e-8)
        let second = first * 0.99 - 0.1 * 0.5 / (0.5 + 1e-8)
        let values = Self.trajectory(AdamW(learningRate: 0.1, weightDecay: 0.1), initial: 1, gradients: [0.5, 0.5])
        expectApproximatelyEqual(values, [first, second], relative: 1e-12, absolute: 1e-12)
    }

    @Test func adamWDiffersFromAdamWithTheSameWeightDecay() {
        // On step 1 Adam's L2 term is normalised away (p₁ ≈ 0.9), while AdamW's is not (p₁ ≈ 0.89).
        let adam = Self.trajectory(Adam(learningRate: 0.1, weightDecay: 0.1), initial: 1, gradients: [0.5])
        let adamW = Self.trajectory(AdamW(learningRate: 0.1, weightDecay: 0.1), initial: 1, gradients: [0.5])
        #expect(abs(adam[0] - 0.9) < 1e-6)
        #expect(abs(adamW[0] - 0.89) < 1e-6)
    }

    @Test func adamWWithoutWeightDecayIsAdam() {
        let gradients = [0.5, -1, 0.25, 2]
        let adam = Self.trajectory(Adam(learningRate: 0.1), initial: 1, gradients: gradients)
        let adamW = Self.trajectory(AdamW(learningRate: 0.1, weightDecay: 0), initial: 1, gradients: gradients)
        #expect(adam.map(\.bitPattern) == adamW.map(\.bitPattern))
    }

    @Test func defaultsFollowPyTorch() {
        let adam = Adam(), adamW = AdamW()
        #expect(adam.learningRate == 1e-3 && adam.beta1 == 0.9 && adam.beta2 == 0.999)
        #expect(adam.epsilon == 1e-8 && adam.weightDecay == 0)
        #expect(adamW.learningRate == 1e-3 && adamW.weightDecay == 0.01)
    }

    @Test func stateHoldsBothMomentsNamedByKind() {
        var adam = Adam(learningRate: 0.1)
        var adamW = AdamW(learningRate: 0.1)
        let parameter = Parameter(shape: [1], values: [1])
        #expect(adam.state == OptimizerState(kind: "adam", step: 0))
        parameter.gradients = [0.5]
        adam.update([parameter])
        adamW.update([parameter])
        // m = 0.1·0.5, v = 0.001·0.5²
        let state = adam.state
        #expect(state.kind == "adam" && adamW.state.kind == "adamw" && state.step == 1)
        #expect(state.slots.keys.sorted() == ["first_moment", "second_moment"])
        #expect(abs((state.slots["first_moment"]?[0][0] ?? 0) - 0.05) < 1e-15)
        #expect(abs((state.slots["second_moment"]?[0][0] ?? 0) - 0.00025) < 1e-15)
    }
}
