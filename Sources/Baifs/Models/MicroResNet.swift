import Autograd

/// A small residual network for `C×H×W` images: a 3×3 convolution stem with ReLU, residual blocks,
/// then either global average pooling or flattening, and a linear head.
///
/// Parameters are `stem.weight`, `blocks.0.conv1.weight`, …, `head.weight`, `head.bias`.
public final class MicroResNet: Module {
    /// How the feature maps become a vector for the head.
    public enum Reduction: String, Sendable, CaseIterable, Codable {
        /// Flatten in (C, H, W) order.
        case flatten
        /// Average each channel over all positions.
        case average
    }

    public let stem: Conv2D
    public let blocks: Sequential
    public let reduction: Reduction
    public let head: Linear
    private let stemActivation = ReLU()
    private let reducer: any Module

    /// Creates the network for inputs of shape `inputShape` (`[C, H, W]`).
    /// - Parameters:
    ///   - stemChannels: the channels of the stem convolution.
    ///   - blockChannels: one residual block per entry, with that many output channels.
    ///   - blockStrides: the stride of each block (default 1 for every block).
    ///   - outputs: the size of the head's output (the number of classes).
    public init(inputShape: [Int], stemChannels: Int, blockChannels: [Int], blockStrides: [Int]? = nil,
                reduction: Reduction = .flatten, outputs: Int, generator: inout RandomGenerator) {
        precondition(inputShape.count == 3, "MicroResNet needs an input shape [C, H, W]; got \(inputShape).")
        let strides = blockStrides ?? Array(repeating: 1, count: blockChannels.count)
        precondition(strides.count == blockChannels.count, "One stride per block: \(blockChannels.count) blocks, \(strides.count) strides.")
        stem = Conv2D(inputChannels: inputShape[0], outputChannels: stemChannels, kernelSize: 3, padding: 1, generator: &generator)
        var channels = stemChannels
        var height = inputShape[1], width = inputShape[2]
        var modules: [any Module] = []
        for (outputChannels, stride) in zip(blockChannels, strides) {
            modules.append(ResidualBlock(inputChannels: channels, outputChannels: outputChannels, stride: stride, generator: &generator))
            channels = outputChannels
            height = convolutionOutputSize(input: height, kernel: 3, stride: stride, padding: 1)
            width = convolutionOutputSize(input: width, kernel: 3, stride: stride, padding: 1)
        }
        blocks = Sequential(modules)
        self.reduction = reduction
        switch reduction {
        case .flatten:
            reducer = Flatten()
            head = Linear(inputSize: channels * height * width, outputSize: outputs, generator: &generator)
        case .average:
            reducer = GlobalAvgPool2D()
            head = Linear(inputSize: channels, outputSize: outputs, generator: &generator)
        }
    }

    public var summary: String { "MicroResNet" }

    public var children: [(name: String, module: any Module)] {
        [("stem", stem), ("blocks", blocks), ("head", head)]
    }

    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        head(reducer(blocks(stemActivation(stem(input)))))
    }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        func step(_ name: String, _ module: any Module, _ shape: [Int]) throws(ShapeError) -> [Int] {
            do {
                return try module.outputShape(for: shape)
            } catch {
                throw ShapeError(error.message, modulePath: error.modulePath.map { "\(name).\($0)" } ?? name)
            }
        }
        let afterStem = try step("stem", stem, inputShape)
        let afterBlocks = try step("blocks", blocks, afterStem)
        return try step("head", head, try reducer.outputShape(for: afterBlocks))
    }
}
