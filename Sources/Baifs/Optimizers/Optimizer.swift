/// An update rule that moves parameters against their gradients.
///
/// An optimizer is bound to one list of parameters by use: its per-parameter buffers are allocated
/// on the first `update(_:)`, sized to the parameters it was given, and every later call must pass
/// the same parameters in the same order. The optimizer reads `gradients` and writes `values`; it
/// neither zeroes nor clips the gradients.
///
/// `state` captures everything the rule remembers between steps, so that a run saved after some
/// step and restored into a freshly made optimizer continues bit for bit as if never interrupted.
public protocol Optimizer: Sendable {
    /// The step size `lr`; a learning-rate schedule sets it before each epoch.
    var learningRate: Double { get set }

    /// Applies one step of the update rule to `parameters`, using their current gradients.
    mutating func update(_ parameters: [Parameter])

    /// Applies one step as `update(_:)` does, with the elementwise arithmetic shared out between
    /// threads by `blocks`; the result is the same for any sharing. The default ignores `blocks`.
    mutating func update(_ parameters: [Parameter], blocks: ElementBlocks)

    /// The step count and per-parameter buffers, in parameter order.
    var state: OptimizerState { get }

    /// Replaces the step count and buffers with `state`, after checking that it was saved by an
    /// optimizer of the same kind for parameters of the same sizes as `parameters`.
    mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(OptimizerStateError)
}

extension Optimizer {
    /// Applies one step with `update(_:)`, on the calling thread.
    public mutating func update(_ parameters: [Parameter], blocks: ElementBlocks) {
        update(parameters)
    }
}
