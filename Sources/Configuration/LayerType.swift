import Baifs

/// The `type` of an entry of `model.layers`, as written in experiment files.
public enum LayerType: String, Sendable, CaseIterable {
    case linear
    case conv2d
    case residual
    case maxPool = "max_pool"
    case averagePool = "avg_pool"
    case globalAveragePool = "global_avg_pool"
    case flatten
    case relu
    case tanh
    case sigmoid

    /// Whether the layer has no settings, so that it may be written as a bare string (`- relu`).
    public var isParameterless: Bool {
        switch self {
        case .linear, .conv2d, .residual, .maxPool, .averagePool: false
        case .globalAveragePool, .flatten, .relu, .tanh, .sigmoid: true
        }
    }

    /// Whether the layer works on `C×H×W` feature maps, which only a `micro_resnet` model has.
    public var isConvolutional: Bool {
        switch self {
        case .conv2d, .residual, .maxPool, .averagePool, .globalAveragePool: true
        case .linear, .flatten, .relu, .tanh, .sigmoid: false
        }
    }
}

extension LayerSpec {
    /// The layer's type, as written in experiment files.
    public var type: LayerType {
        switch self {
        case .linear: .linear
        case .conv2d: .conv2d
        case .residual: .residual
        case .activation(.relu): .relu
        case .activation(.tanh): .tanh
        case .activation(.sigmoid): .sigmoid
        case .flatten: .flatten
        case .maxPool: .maxPool
        case .averagePool: .averagePool
        case .globalAveragePool: .globalAveragePool
        }
    }
}
