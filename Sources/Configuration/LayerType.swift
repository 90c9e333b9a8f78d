import Baifs

/// The `type` of an entry of `model.layers`, as written in experiment files.
public enum LayerType: String, Sendable, CaseIterable {
    /// `linear`: a fully connected layer; keys `in`, `out`, `bias`.
    case linear
    /// `conv2d`: a 2-D convolution; keys `in`, `out`, `kernel`, `stride`, `padding`, `bias`.
    case conv2d
    /// `residual`: a residual block of two 3×3 convolutions; keys `in`, `out`, `stride`.
    case residual
    /// `max_pool`: max pooling; keys `kernel`, `stride`.
    case maxPool = "max_pool"
    /// `avg_pool`: average pooling; keys `kernel`, `stride`.
    case averagePool = "avg_pool"
    /// `global_avg_pool`: the mean of each channel over all positions.
    case globalAveragePool = "global_avg_pool"
    /// `flatten`: each sample's values as one vector.
    case flatten
    /// `relu`: `max(0, x)`.
    case relu
    /// `tanh`: `tanh x`.
    case tanh
    /// `sigmoid`: `1 / (1 + e⁻ˣ)`.
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
