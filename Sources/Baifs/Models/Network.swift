import Autograd

/// A model made of a layer list, as experiment files describe it: the layers run in order and
/// their parameters are named `layers.0.weight`, `layers.0.bias`, … The `name` says what kind
/// of network it is (`MLP`, `MicroResNet`) when the model is printed.
public final class Network: Module {
    public let name: String
    public let layers: Sequential

    public init(name: String, layers: [any Module]) {
        self.name = name
        self.layers = Sequential(layers)
    }

    public var summary: String { name }
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
