import Autograd

/// A small residual network for `C×H×W` images: a 3×3 convolution stem with ReLU, residual blocks,
/// then either global average pooling or flattening, and a linear head.
///
/// It is a layer list, as an experiment file's `model.layers` describes one: with two blocks the
/// parameters are `layers.0.weight` (the stem), `layers.2.conv1.weight`, `layers.2.conv2.weight`,
/// `layers.3.conv1.weight`, … (the blocks), and `layers.5.weight`, `layers.5.bias` (the head).
public final class MicroResNet: Network {
    /// How the feature maps become a vector for the head.
    public enum Reduction: String, Sendable, CaseIterable, Codable {
        /// Flatten in (C, H, W) order.
        case flatten
        /// Average each channel over all positions.
        case average
    }

    /// Creates the network for inputs of shape `inputShape` (`[C, H, W]`): the layers
    /// Conv2D(C→stemChannels, 3×3, padding 1), ReLU, one `ResidualBlock` per entry of
    /// `blockChannels`, Flatten or GlobalAvgPool2D, Linear(→outputs).
    /// - Parameters:
    ///   - inputShape: the shape `[C, H, W]` of one sample.
    ///   - stemChannels: the channels of the stem convolution.
    ///   - blockChannels: one residual block per entry, with that many output channels.
    ///   - blockStrides: the stride of each block (default 1 for every block).
    ///   - reduction: how the last feature maps become the head's input.
    ///   - outputs: the size of the head's output (the number of classes).
    ///   - generator: the source of the initial parameters, drawn in layer order.
    public init(inputShape: [Int], stemChannels: Int, blockChannels: [Int], blockStrides: [Int]? = nil,
                reduction: Reduction = .flatten, outputs: Int, generator: inout RandomGenerator) {
        precondition(inputShape.count == 3, "MicroResNet needs an input shape [C, H, W]; got \(inputShape).")
        let strides = blockStrides ?? Array(repeating: 1, count: blockChannels.count)
        precondition(strides.count == blockChannels.count, "One stride per block: \(blockChannels.count) blocks, \(strides.count) strides.")
        var modules: [any Module] = [
            Conv2D(inputChannels: inputShape[0], outputChannels: stemChannels, kernelSize: 3, padding: 1, generator: &generator),
            ReLU(),
        ]
        var channels = stemChannels
        var height = inputShape[1], width = inputShape[2]
        for (outputChannels, stride) in zip(blockChannels, strides) {
            modules.append(ResidualBlock(inputChannels: channels, outputChannels: outputChannels, stride: stride, generator: &generator))
            channels = outputChannels
            height = convolutionOutputSize(input: height, kernel: 3, stride: stride, padding: 1)
            width = convolutionOutputSize(input: width, kernel: 3, stride: stride, padding: 1)
        }
        switch reduction {
        case .flatten:
            modules.append(Flatten())
            modules.append(Linear(inputSize: channels * height * width, outputSize: outputs, generator: &generator))
        case .average:
            modules.append(GlobalAvgPool2D())
            modules.append(Linear(inputSize: channels, outputSize: outputs, generator: &generator))
        }
        super.init(name: "MicroResNet", layers: modules)
    }

    /// Creates the network from a layer list, as an experiment file's `model.layers` gives it.
    public init(layers: [any Module]) {
        super.init(name: "MicroResNet", layers: layers)
    }
}
