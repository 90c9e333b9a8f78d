/// Adam with decoupled weight decay (Loshchilov and Hutter), the update of `torch.optim.AdamW`.
///
/// For each value `p` with gradient `g = ∂L/∂p`, at step `t` (counting from 1), with `m` and `v`
/// starting at 0:
///
///     p = p − lr·λ·p                 computed as p·(1 − lr·λ)
///     m = β₁·m + (1 − β₁)·g
///     v = β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ)
///     v̂ = v / (1 − β₂ᵗ)
///     p = p − lr·m̂ / (√v̂ + ε)
///
/// Unlike `Adam`'s L2 penalty, the decay does not pass through the moments, so every weight
/// shrinks by the same factor whatever its gradient history.
public struct AdamW: Optimizer {
    /// The name recorded in `OptimizerState.kind`.
    public static let kind = "adamw"

    /// The Adam update, with the weight decay applied to the weights.
    private var adam: Adam

    /// Creates the optimizer.
    ///
    /// - Parameters:
    ///   - learningRate: The step size `lr`.
    ///   - beta1: The decay rate `β₁` of the first-moment average, in `[0, 1)`.
    ///   - beta2: The decay rate `β₂` of the second-moment average, in `[0, 1)`.
    ///   - epsilon: The stability term `ε`.
    ///   - weightDecay: The decay factor `λ`; each step multiplies the weights by `1 − lr·λ`.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0.01) {
        adam = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                    weightDecay: weightDecay, decouplesWeightDecay: true)
    }

    /// The step size `lr`.
    public var learningRate: Double {
        get { adam.learningRate }
        set { adam.learningRate = newValue }
    }
    /// The decay rate `β₁` of the first-moment average.
    public var beta1: Double { adam.beta1 }
    /// The decay rate `β₂` of the second-moment average.
    public var beta2: Double { adam.beta2 }
    /// The term `ε` added to the denominator for numerical stability.
    public var epsilon: Double { adam.epsilon }
    /// The decay factor `λ`.
    public var weightDecay: Double { adam.weightDecay }

    public mutating func update(_ parameters: [Parameter]) {
        adam.update(parameters)
    }

    /// Applies one step as `update(_:)` does, with the elementwise arithmetic shared out by `blocks`.
    public mutating func update(_ parameters: [Parameter], blocks: ElementBlocks) {
        adam.update(parameters, blocks: blocks)
    }

    public var state: OptimizerState { adam.state }

    public mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(OptimizerStateError) {
        try adam.restore(state, parameters: parameters)
    }
}
