/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// the update of `torch.optim.SGD` with no dampening.
///
/// For each value `p` with gradient `∂L/∂p`, at step `t` (counting from 1):
///
///     g   = ∂L/∂p + λ·p
///     b_t = g                    if t = 1
///     b_t = μ·b_{t−1} + g        otherwise
///     g   = g + μ·b_t            with Nesterov momentum
///     g   = b_t                  with plain momentum
///     p   = p − lr·g
///
/// With `momentum` 0 there is no buffer and the update is `p = p − lr·(∂L/∂p + λ·p)`.
public struct SGD: Optimizer {
    /// The name recorded in `OptimizerState.kind`.
    public static let kind = "sgd"

    /// The step size `lr`.
    public var learningRate: Double
    /// The momentum factor `μ`; 0 disables momentum.
    public let momentum: Double
    /// Whether the step looks ahead along the momentum (Nesterov) rather than following it.
    public let nesterov: Bool
    /// The L2 penalty `λ` added to the gradient as `λ·p`.
    public let weightDecay: Double

    /// The number of updates applied.
    private var step = 0
    /// The momentum buffers `b`, one per parameter; empty before the first step or without momentum.
    private var momentumBuffers: [[Double]] = []

    /// Creates the optimizer.
    ///
    /// - Parameters:
    ///   - learningRate: The step size `lr`.
    ///   - momentum: The momentum factor `μ`; 0 disables momentum.
    ///   - nesterov: Whether to use Nesterov momentum; requires a positive `momentum`.
    ///   - weightDecay: The L2 penalty `λ`.
    public init(learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(learningRate >= 0, "The learning rate must be non-negative; got \(learningRate).")
        precondition(momentum >= 0, "The momentum must be non-negative; got \(momentum).")
        precondition(weightDecay >= 0, "The weight decay must be non-negative; got \(weightDecay).")
        precondition(!nesterov || momentum > 0, "Nesterov momentum requires a positive momentum; got \(momentum).")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public mutating func update(_ parameters: [Parameter]) {
        update(parameters, blocks: .serial)
    }

    /// Applies one step as `update(_:)` does, with the elementwise arithmetic shared out by `blocks`.
    public mutating func update(_ parameters: [Parameter], blocks: ElementBlocks) {
        let learningRate = learningRate, momentum = momentum, nesterov = nesterov, weightDecay = weightDecay
        step += 1
        let isFirstStep = momentumBuffers.isEmpty
        if momentum != 0 && isFirstStep {
            momentumBuffers = parameters.map { Array(repeating: 0, count: $0.count) }
        }
        if momentum != 0 {
            precondition(momentumBuffers.count == parameters.count,
                         "SGD was first used with \(momentumBuffers.count) parameters; got \(parameters.count).")
            for (parameterIndex, parameter) in parameters.enumerated() {
                precondition(momentumBuffers[parameterIndex].count == parameter.count,
                             "SGD was first used with \(momentumBuffers[parameterIndex].count) values in parameter \(parameterIndex); got \(parameter.count).")
            }
        }
        withBuffers(of: parameters) { values, gradients in
            momentumBuffers.withUnsafeMutableBuffers { momentumBuffers in
                blocks.forEachBlock(counts: values.map(\.count)) { parameter, elements in
                    let (values, gradients) = (values[parameter], gradients[parameter])
                    guard momentum != 0 else {
                        for index in elements {
                            values[index] -= learningRate * (gradients[index] + weightDecay * values[index])
                        }
                        return
                    }
                    let buffer = momentumBuffers[parameter]
                    for index in elements {
                        let gradient = gradients[index] + weightDecay * values[index]
                        buffer[index] = isFirstStep ? gradient : momentum * buffer[index] + gradient
                        let direction = nesterov ? gradient + momentum * buffer[index] : buffer[index]
                        values[index] -= learningRate * direction
                    }
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(kind: Self.kind, step: step, slots: momentumBuffers.isEmpty ? [:] : ["momentum": momentumBuffers])
    }

    public mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(OptimizerStateError) {
        let hasBuffers = momentum != 0 && state.step > 0
        try state.validate(kind: Self.kind, slotNames: hasBuffers ? ["momentum"] : [], parameters: parameters)
        step = state.step
        momentumBuffers = state.slots["momentum"] ?? []
    }
}
