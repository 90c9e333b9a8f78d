import Baifs

extension LayerSpec {
    /// Builds the layer, drawing its initial parameters (if it has any) from `generator`.
    public func makeModule(generator: inout RandomGenerator) -> any Module {
        switch self {
        case let .linear(inputSize, outputSize, bias):
            Linear(inputSize: inputSize, outputSize: outputSize, bias: bias, generator: &generator)
        case let .conv2d(inputChannels, outputChannels, kernelSize, stride, padding, bias):
            Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
                   padding: padding, bias: bias, generator: &generator)
        case let .residual(inputChannels, outputChannels, stride):
            ResidualBlock(inputChannels: inputChannels, outputChannels: outputChannels, stride: stride, generator: &generator)
        case .activation(let activation):
            activation.makeLayer()
        case .flatten:
            Flatten()
        case let .maxPool(kernelSize, stride):
            MaxPool2D(kernelSize: kernelSize, stride: stride)
        case let .averagePool(kernelSize, stride):
            AvgPool2D(kernelSize: kernelSize, stride: stride)
        case .globalAveragePool:
            GlobalAvgPool2D()
        }
    }
}
