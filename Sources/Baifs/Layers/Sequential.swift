import Autograd

/// Layers applied one after another; any layer list is a model. Children are named by position
/// (`0`, `1`, …), so parameters are `0.weight`, `2.bias`, … as in PyTorch's `nn.Sequential`.
public final class Sequential: Module {
    /// The layers, applied in order; their parameters are named by index (`0.weight`).
    public let layers: [any Module]

    /// Creates the chain `layers[n−1](… layers[0](x))`.
    public init(_ layers: [any Module]) {
        self.layers = layers
    }

    public var summary: String { "Sequential" }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        layers.reduce(input) { output, layer in layer(output) }
    }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do {
                shape = try layer.outputShape(for: shape)
            } catch {
                throw ShapeError(error.message, modulePath: error.modulePath.map { "\(index).\($0)" } ?? String(index))
            }
        }
        return shape
    }
}
