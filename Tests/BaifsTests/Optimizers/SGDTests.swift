import Baifs
import TestSupport
import Testing

struct SGDTests {
    /// Runs `steps` updates of `optimizer` on one parameter starting at `initial`, with the
    /// gradient `gradient` before every step, and returns the values after each step.
    private static func trajectory(_ optimizer: SGD, initial: [Double], gradient: [Double], steps: Int) -> [[Double]] {
        var optimizer = optimizer
        let parameter = Parameter(shape: [initial.count], values: initial)
        return (0..<steps).map { _ in
            parameter.gradients = gradient
            optimizer.update([parameter])
            return parameter.values
        }
    }

    @Test func plainStepMovesAgainstTheGradient() {
        // p = p − 0.1·g with g = (0.5, −1): (1, −2) → (0.95, −1.9) → (0.9, −1.8).
        let values = Self.trajectory(SGD(learningRate: 0.1), initial: [1, -2], gradient: [0.5, -1], steps: 2)
        expectApproximatelyEqual(values, [[0.95, -1.9], [0.9, -1.8]], relative: 1e-12, absolute: 1e-12)
    }

    @Test func momentumStartsFromTheFirstGradient() {
        // μ = 0.9, lr = 0.1, g = 1 every step, p₀ = 1:
        // b₁ = 1,                 p₁ = 1 − 0.1·1       = 0.9
        // b₂ = 0.9·1 + 1 = 1.9,   p₂ = 0.9 − 0.1·1.9   = 0.71
        // b₃ = 0.9·1.9 + 1 = 2.71, p₃ = 0.71 − 0.1·2.71 = 0.439
        let values = Self.trajectory(SGD(learningRate: 0.1, momentum: 0.9), initial: [1], gradient: [1], steps: 3)
        expectApproximatelyEqual(values, [[0.9], [0.71], [0.439]], relative: 1e-12, absolute: 1e-12)
    }

    @Test func nesterovLooksAheadAlongTheMomentum() {
        // μ = 0.9, lr = 0.1, g = 1 every step, p₀ = 1; the step direction is g + μ·b:
        // b₁ = 1,    d₁ = 1 + 0.9·1    = 1.9,   p₁ = 1 − 0.19      = 0.81
        // b₂ = 1.9,  d₂ = 1 + 0.9·1.9  = 2.71,  p₂ = 0.81 − 0.271  = 0.539
        // b₃ = 2.71, d₃ = 1 + 0.9·2.71 = 3.439, p₃ = 0.539 − 0.3439 = 0.1951
        let optimizer = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        let values = Self.trajectory(optimizer, initial: [1], gradient: [1], steps: 3)
        expectApproximatelyEqual(values, [[0.81], [0.539], [0.1951]], relative: 1e-12, absolute: 1e-12)
    }

    @Test func weightDecayAddsTheL2PenaltyToTheGradient() {
        // λ = 0.1, lr = 0.1, g = 0.5, p₀ = 2:
        // g₁ = 0.5 + 0.1·2 = 0.7,      p₁ = 2 − 0.07       = 1.93
        // g₂ = 0.5 + 0.1·1.93 = 0.693, p₂ = 1.93 − 0.0693  = 1.8607
        let values = Self.trajectory(SGD(learningRate: 0.1, weightDecay: 0.1), initial: [2], gradient: [0.5], steps: 2)
        expectApproximatelyEqual(values, [[1.93], [1.8607]], relative: 1e-12, absolute: 1e-12)
    }

    @Test func weightDecayFeedsTheMomentumBuffer() {
        // λ = 0.1, μ = 0.5, lr = 0.1, g = 0.5, p₀ = 2:
        // g₁ = 0.7,   b₁ = 0.7,                 p₁ = 2 − 0.07      = 1.93
        // g₂ = 0.693, b₂ = 0.5·0.7 + 0.693 = 1.043, p₂ = 1.93 − 0.1043 = 1.8257
        let optimizer = SGD(learningRate: 0.1, momentum: 0.5, weightDecay: 0.1)
        let values = Self.trajectory(optimizer, initial: [2], gradient: [0.5], steps: 2)
        expectApproximatelyEqual(values, [[1.93], [1.8257]], relative: 1e-12, absolute: 1e-12)
    }

    @Test func learningRateChangesTakeEffectOnTheNextStep() {
        var optimizer = SGD(learningRate: 0.1)
        let parameter = Parameter(shape: [1], values: [1])
        parameter.gradients = [1]
        optimizer.update([parameter])
        optimizer.learningRate = 0.01
        optimizer.update([parameter])
        // 1 − 0.1 − 0.01
        #expect(abs(parameter.values[0] - 0.89) <= 1e-15)
    }

    @Test func stateHoldsTheMomentumBuffersAfterTheFirstStep() {
        var optimizer = SGD(learningRate: 0.1, momentum: 0.9)
        let parameters = [Parameter(shape: [2], values: [1, 2]), Parameter(shape: [1], values: [3])]
        #expect(optimizer.state == OptimizerState(kind: "sgd", step: 0))
        parameters[0].gradients = [0.5, -0.5]
        parameters[1].gradients = [2]
        optimizer.update(parameters)
        #expect(optimizer.state == OptimizerState(kind: "sgd", step: 1, slots: ["momentum": [[0.5, -0.5], [2]]]))
    }

    @Test func withoutMomentumTheStateHasNoBuffers() {
        var optimizer = SGD(learningRate: 0.1)
        let parameter = Parameter(shape: [1], values: [1])
        parameter.gradients = [1]
        optimizer.update([parameter])
        optimizer.update([parameter])
        #expect(optimizer.state == OptimizerState(kind: "sgd", step: 2))
    }
}
