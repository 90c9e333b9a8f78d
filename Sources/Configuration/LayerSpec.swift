import Baifs

/// One entry of `model.layers`, with its sizes resolved (an omitted `in` is what flows into it).
public enum LayerSpec: Sendable, Equatable {
    case linear(inputSize: Int, outputSize: Int, bias: Bool)
    case conv2d(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, padding: Int, bias: Bool)
    case residual(inputChannels: Int, outputChannels: Int, stride: Int)
    case activation(Activation)
    case flatten
    case maxPool(kernelSize: Int, stride: Int)
    case averagePool(kernelSize: Int, stride: Int)
    case globalAveragePool
}
