import Autograd

/// An elementwise nonlinearity, as named in experiment files.
public enum Activation: String, Sendable, CaseIterable, Codable {
    /// `max(0, x)`.
    case relu
    /// `tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)`.
    case tanh
    /// `σ(x) = 1 / (1 + e⁻ˣ)`.
    case sigmoid

    /// The layer that applies it.
    public func makeLayer() -> any Module {
        switch self {
        case .relu: ReLU()
        case .tanh: Tanh()
        case .sigmoid: Sigmoid()
        }
    }
}

/// `max(0, x)` element by element.
public final class ReLU: Module {
    /// Creates the layer; it has no parameters.
    public init() {}
    public var summary: String { "ReLU()" }
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad { input.relu() }
    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] { inputShape }
}

/// `tanh x` element by element.
public final class Tanh: Module {
    /// Creates the layer; it has no parameters.
    public init() {}
    public var summary: String { "Tanh()" }
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad { input.tanh() }
    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] { inputShape }
}

/// `1 / (1 + e⁻ˣ)` element by element.
public final class Sigmoid: Module {
    /// Creates the layer; it has no parameters.
    public init() {}
    public var summary: String { "Sigmoid()" }
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad { input.sigmoid() }
    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] { inputShape }
}
