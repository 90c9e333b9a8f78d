import Autograd

/// A multilayer perceptron: linear layers of the given sizes with an activation between them.
/// `MLP(sizes: [2, 16, 16, 1], activation: .tanh)` is Linear(2→16), Tanh, Linear(16→16), Tanh,
/// Linear(16→1), with parameters `layers.0.weight`, `layers.0.bias`, `layers.2.weight`, …
public final class MLP: Network {
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
        super.init(name: "MLP", layers: modules)
    }

    /// Creates the network from a layer list, as an experiment file's `model.layers` gives it.
    public init(layers: [any Module]) {
        super.init(name: "MLP", layers: layers)
    }
}
