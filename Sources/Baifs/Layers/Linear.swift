import Autograd

/// A fully connected layer: `y = x·Wᵀ + b`, with `W` of shape `[out, in]` and `b` of shape `[out]`
/// (PyTorch's layout), one dot-product node per output element.
public final class Linear: Module {
    /// The number of input features, `in`.
    public let inputSize: Int
    /// The number of output features, `out`.
    public let outputSize: Int
    /// The weight `W`, shape `[out, in]`.
    public let weight: Parameter
    /// The bias `b`, shape `[out]`, or `nil` for a layer without one.
    public let bias: Parameter?

    /// Creates a layer with PyTorch's default initialisation: `W` and `b` uniform in `±1/√in`,
    /// drawn from `generator` (weight first, then bias).
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: inout RandomGenerator) {
        precondition(inputSize > 0 && outputSize > 0, "A linear layer needs positive sizes; got \(inputSize) → \(outputSize).")
        self.inputSize = inputSize
        self.outputSize = outputSize
        let bound = 1 / Double(inputSize).squareRoot()
        weight = Parameter(shape: [outputSize, inputSize], uniformBound: bound, generator: &generator)
        self.bias = bias ? Parameter(shape: [outputSize], uniformBound: bound, generator: &generator) : nil
    }

    public var summary: String { "Linear(in: \(inputSize), out: \(outputSize), bias: \(bias != nil))" }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        linear(input, weight: weight.tensor(in: input.graph), bias: bias?.tensor(in: input.graph))
    }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        guard inputShape == [inputSize] else {
            if inputShape.count > 1 {
                throw ShapeError("a linear layer with input size \(inputSize) gets shape \(inputShape); add a flatten layer before it (it would give \(inputShape.reduce(1, *))).")
            }
            throw ShapeError("a linear layer with input size \(inputSize) gets \(inputShape.reduce(1, *)) features; set its input size to \(inputShape.reduce(1, *)).")
        }
        return [outputSize]
    }
}
