import Autograd

/// A model made of a layer list, the one shape every baifs model has: the layers run in order and
/// their parameters are named `layers.0.weight`, `layers.0.bias`, … as in a PyTorch
/// `nn.Sequential` held in a `layers` attribute.
///
/// `MLP` and `MicroResNet` are networks with initialisers that build their usual layer lists; an
/// experiment file builds the same types from its `model.layers`, so a checkpoint of one loads
/// into the other.
public class Network: Module {
    /// What kind of network it is when the model is printed (`MLP`, `MicroResNet`).
    public let name: String
    /// The layers, applied in order.
    public let layers: Sequential

    /// Creates a network named `name` from `layers`.
    public init(name: String, layers: [any Module]) {
        self.name = name
        self.layers = Sequential(layers)
    }

    public var summary: String { name }

    public var children: [(name: String, module: any Module)] { [("layers", layers)] }

    /// Returns `layers(input)`.
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad { layers(input) }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        do {
            return try layers.outputShape(for: inputShape)
        } catch {
            throw ShapeError(error.message, modulePath: error.modulePath.map { "layers.\($0)" })
        }
    }
}
