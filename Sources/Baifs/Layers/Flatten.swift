import Autograd

/// Flattens each sample to a vector, in (C, H, W) order: `[N, C, H, W] → [N, C·H·W]`.
public final class Flatten: Module {
    /// Creates the layer; it has no parameters.
    public init() {}
    public var summary: String { "Flatten()" }
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad { flatten(input) }
    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] { [inputShape.reduce(1, *)] }
}

/// Flattens every axis after the batch axis: `[N, …] → [N, ∏…]`. No nodes are recorded.
public func flatten(_ input: TensorGrad) -> TensorGrad {
    input.flattened(from: 1)
}

/// Pads the last two axes with `padding` zeros on each side: `[…, H, W] → […, H + 2p, W + 2p]`.
public func zeroPad(_ input: TensorGrad, padding: Int) -> TensorGrad {
    input.zeroPadded(padding)
}
