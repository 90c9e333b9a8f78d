import Foundation

/// Adam with L2 weight decay added to the gradient, the update of `torch.optim.Adam`.
///
/// For each value `p` with gradient `∂L/∂p`, at step `t` (counting from 1), with `m` and `v`
/// starting at 0:
///
///     g = ∂L/∂p + λ·p
///     m = β₁·m + (1 − β₁)·g
///     v = β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ)
///     v̂ = v / (1 − β₂ᵗ)
///     p = p − lr·m̂ / (√v̂ + ε)
///
/// The last step is computed as PyTorch does, `p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)`.
///
/// Because the penalty `λ·p` passes through the normalisation by `√v̂`, it shrinks large weights
/// less than it would under SGD; `AdamW` decays the weights directly instead, and is this type
/// with `decouplesWeightDecay` set.
public struct Adam: Optimizer {
    /// The name recorded in `OptimizerState.kind`.
    public static let kind = "adam"

    /// The step size `lr`.
    public var learningRate: Double
    /// The decay rate `β₁` of the first-moment average.
    public let beta1: Double
    /// The decay rate `β₂` of the second-moment average.
    public let beta2: Double
    /// The term `ε` added to the denominator for numerical stability.
    public let epsilon: Double
    /// The weight-decay factor `λ`.
    public let weightDecay: Double

    /// Whether `λ` decays the weights directly (AdamW) rather than being added to the gradient.
    let decouplesWeightDecay: Bool
    /// The name recorded in `OptimizerState.kind`: `Adam.kind`, or `AdamW.kind` when decoupled.
    let stateKind: String

    /// The number of updates applied, `t`.
    private var step = 0
    /// The first-moment averages `m`, one per parameter; empty before the first step.
    private var firstMoments: [[Double]] = []
    /// The second-moment averages `v`, one per parameter; empty before the first step.
    private var secondMoments: [[Double]] = []

    /// Creates the optimizer.
    ///
    /// - Parameters:
    ///   - learningRate: The step size `lr`.
    ///   - beta1: The decay rate `β₁` of the first-moment average, in `[0, 1)`.
    ///   - beta2: The decay rate `β₂` of the second-moment average, in `[0, 1)`.
    ///   - epsilon: The stability term `ε`.
    ///   - weightDecay: The L2 penalty `λ`, added to the gradient as `λ·p`.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay, decouplesWeightDecay: false)
    }

    /// Creates the optimizer, with the weight decay either added to the gradient or, when
    /// `decouplesWeightDecay`, applied to the weights as in AdamW.
    init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double,
         decouplesWeightDecay: Bool) {
        precondition(learningRate >= 0, "The learning rate must be non-negative; got \(learningRate).")
        precondition((0..<1).contains(beta1), "beta1 must be in [0, 1); got \(beta1).")
        precondition((0..<1).contains(beta2), "beta2 must be in [0, 1); got \(beta2).")
        precondition(epsilon >= 0, "epsilon must be non-negative; got \(epsilon).")
        precondition(weightDecay >= 0, "The weight decay must be non-negative; got \(weightDecay).")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decouplesWeightDecay = decouplesWeightDecay
        self.stateKind = decouplesWeightDecay ? AdamW.kind : Self.kind
    }

    public mutating func update(_ parameters: [Parameter]) {
        update(parameters, blocks: .serial)
    }

    /// Applies one step as `update(_:)` does, with the elementwise arithmetic shared out by `blocks`.
    public mutating func update(_ parameters: [Parameter], blocks: ElementBlocks) {
        if firstMoments.isEmpty {
            firstMoments = parameters.map { Array(repeating: 0, count: $0.count) }
            secondMoments = parameters.map { Array(repeating: 0, count: $0.count) }
        }
        precondition(firstMoments.count == parameters.count,
                     "Adam was first used with \(firstMoments.count) parameters; got \(parameters.count).")
        for (parameterIndex, parameter) in parameters.enumerated() {
            precondition(firstMoments[parameterIndex].count == parameter.count,
                         "Adam was first used with \(firstMoments[parameterIndex].count) values in parameter \(parameterIndex); got \(parameter.count).")
        }
        step += 1
        let beta1 = beta1, beta2 = beta2, epsilon = epsilon
        let gradientDecay = decouplesWeightDecay ? 0 : weightDecay
        let weightScale = decouplesWeightDecay ? 1 - learningRate * weightDecay : 1
        let stepSize = learningRate / (1 - pow(beta1, Double(step)))
        let secondCorrectionRoot = (1 - pow(beta2, Double(step))).squareRoot()
        withBuffers(of: parameters) { values, gradients in
            firstMoments.withUnsafeMutableBuffers { firstMoments in
                secondMoments.withUnsafeMutableBuffers { secondMoments in
                    blocks.forEachBlock(counts: values.map(\.count)) { parameter, elements in
                        let (values, gradients) = (values[parameter], gradients[parameter])
                        let (first, second) = (firstMoments[parameter], secondMoments[parameter])
                        for index in elements {
                            let gradient = gradients[index] + gradientDecay * values[index]
                            first[index] = beta1 * first[index] + (1 - beta1) * gradient
                            second[index] = beta2 * second[index] + (1 - beta2) * gradient * gradient
                            let denominator = second[index].squareRoot() / secondCorrectionRoot + epsilon
                            values[index] = values[index] * weightScale - stepSize * first[index] / denominator
                        }
                    }
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(kind: stateKind, step: step, slots: firstMoments.isEmpty ? [:] : [
            "first_moment": firstMoments,
            "second_moment": secondMoments,
        ])
    }

    public mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(OptimizerStateError) {
        let slotNames = state.step > 0 ? ["first_moment", "second_moment"] : []
        try state.validate(kind: stateKind, slotNames: slotNames, parameters: parameters)
        step = state.step
        firstMoments = state.slots["first_moment"] ?? []
        secondMoments = state.slots["second_moment"] ?? []
    }
}
