import Baifs

extension LayerSpec {
    /// The layer's sizes in brief: `2 → 16`, `1 → 4, 3×3, stride 1, padding 1`, `2×2, stride 2`.
    public var detail: String {
        switch self {
        case let .linear(inputSize, outputSize, bias):
            return "\(inputSize) → \(outputSize)" + (bias ? "" : ", no bias")
        case let .conv2d(inputChannels, outputChannels, kernelSize, stride, padding, bias):
            return "\(inputChannels) → \(outputChannels), \(kernelSize)×\(kernelSize), stride \(stride), padding \(padding)" + (bias ? "" : ", no bias")
        case let .residual(inputChannels, outputChannels, stride):
            return "\(inputChannels) → \(outputChannels), stride \(stride)"
        case let .maxPool(kernelSize, stride), let .averagePool(kernelSize, stride):
            return "\(kernelSize)×\(kernelSize), stride \(stride)"
        case .activation, .flatten, .globalAveragePool:
            return ""
        }
    }
}
