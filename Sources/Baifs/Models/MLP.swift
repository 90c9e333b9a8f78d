import Autograd

/// A multilayer perceptron: linear layers of the given sizes with an activation between them,
/// as `layers` (a `Sequential`): `MLP(sizes: [2, 16, 16, 1], activation: .tanh)` is
/// Linear(2→16), Tanh, Linear(16→16), Tanh, Linear(16→1).
public final class MLP: Module {
    public let layers: Sequential

    /// Creates the network; `outputActivation`, if given, follows the last linear layer.
    public init(sizes: [Int], activation: Activation = .tanh, outputActivation: Activation? = nil, generator: inout RandomGenerator) {
        precondition(sizes.count >= 2, "An MLP needs at least an input and an output size; got \(sizes).")
        var modules: [any Module] = []
        for index in 0..<(sizes.count - 1) {
            modules.append(Linear(inputSize: sizes[index], outputSize: sizes[index + 1], generator: &generator))
            if index < sizes.count - 2 {
                modules.append(activation.makeLayer())
            } else if let outputActivation {
                modules.append(outputActivation.makeLayer())
            }
        }
        layers = Sequential(modules)
    }

    public var summary: String { "MLP" }
    public var children: [(name: String, module: any Module)] { [("layers", layers)] }
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad { layers(input) }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        do {
            return try layers.outputShape(for: inputShape)
        } catch {
            throw ShapeError(error.message, modulePath: error.modulePath.map { "layers.\($0)" })
        }
    }
}
