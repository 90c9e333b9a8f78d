import Baifs

/// One entry of `model.layers`, with its sizes resolved (an omitted `in` is what flows into it).
public enum LayerSpec: Sendable, Equatable {
    /// `linear`: `y = x·Wᵀ + b` from `inputSize` to `outputSize` features, without `b` when `bias` is false.
    case linear(inputSize: Int, outputSize: Int, bias: Bool)
    /// `conv2d`: a convolution with `kernelSize × kernelSize` kernels, `stride` apart, over the input
    /// zero-padded by `padding` on each side, so `H` rows become `⌊(H + 2·padding − kernelSize) / stride⌋ + 1`.
    case conv2d(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, padding: Int, bias: Bool)
    /// `residual`: `y = ReLU(s(x) + conv2(ReLU(conv1(x))))` with 3×3 convolutions, `conv1` of the given
    /// stride, and `s` a 1×1 projection when the channels or the stride change, else the identity.
    case residual(inputChannels: Int, outputChannels: Int, stride: Int)
    /// `relu`, `tanh` or `sigmoid`, applied to each value.
    case activation(Activation)
    /// `flatten`: each sample as one vector, in (C, H, W) order: `[N, C, H, W] → [N, C·H·W]`.
    case flatten
    /// `max_pool`: the largest value of each `kernelSize × kernelSize` window, windows `stride` apart.
    case maxPool(kernelSize: Int, stride: Int)
    /// `avg_pool`: the mean of each `kernelSize × kernelSize` window, windows `stride` apart.
    case averagePool(kernelSize: Int, stride: Int)
    /// `global_avg_pool`: the mean of each channel over all positions, `[N, C, H, W] → [N, C]`.
    case globalAveragePool
}
