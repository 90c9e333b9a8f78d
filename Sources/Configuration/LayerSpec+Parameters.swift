import Autograd

extension LayerSpec {
    /// The number of parameters the layer holds (`Int.max` if that overflows): for a linear layer
    /// `out·in` weights and `out` biases, for a convolution `out·in·k²` weights and `out` biases,
    /// for a residual block two 3×3 convolutions (`out·in·9 + out`, `out·out·9 + out`) and, when
    /// the channels or the stride change, a 1×1 projection (`out·in + out`).
    public var parameterCount: Int {
        switch self {
        case let .linear(inputSize, outputSize, bias):
            return [outputSize, inputSize].saturatingProduct.saturatingAdding(bias ? outputSize : 0)
        case let .conv2d(inputChannels, outputChannels, kernelSize, _, _, bias):
            return [outputChannels, inputChannels, kernelSize, kernelSize].saturatingProduct.saturatingAdding(bias ? outputChannels : 0)
        case let .residual(inputChannels, outputChannels, stride):
            let first = [outputChannels, inputChannels, 9].saturatingProduct.saturatingAdding(outputChannels)
            let second = [outputChannels, outputChannels, 9].saturatingProduct.saturatingAdding(outputChannels)
            let projection = inputChannels != outputChannels || stride != 1
                ? [outputChannels, inputChannels].saturatingProduct.saturatingAdding(outputChannels) : 0
            return [first, second, projection].saturatingSum
        case .activation, .flatten, .maxPool, .averagePool, .globalAveragePool:
            return 0
        }
    }
}

extension ModelSection {
    /// The number of parameters of the model (`Int.max` if that overflows).
    public var parameterCount: Int {
        layers.map(\.parameterCount).saturatingSum
    }
}
