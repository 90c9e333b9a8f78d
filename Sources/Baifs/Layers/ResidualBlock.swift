import Autograd

/// A residual block: `y = ReLU(s(x) + conv2(ReLU(conv1(x))))`, with 3×3 convolutions (padding 1,
/// `conv1` with the block's stride) and a skip `s` that is the identity, or a 1×1 convolution with
/// the same stride (`projection`) when the channel count or the stride changes.
public final class ResidualBlock: Module {
    /// The first 3×3 convolution, `C_in → C_out` with the block's stride.
    public let conv1: Conv2D
    /// The second 3×3 convolution, `C_out → C_out`.
    public let conv2: Conv2D
    /// The 1×1 projection on the skip path, present when channels or stride change.
    public let projection: Conv2D?

    /// Creates a block; parameters are drawn in the order conv1, conv2, projection.
    public init(inputChannels: Int, outputChannels: Int, stride: Int = 1, generator: inout RandomGenerator) {
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride, padding: 1, generator: &generator)
        conv2 = Conv2D(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, stride: 1, padding: 1, generator: &generator)
        projection = inputChannels != outputChannels || stride != 1
            ? Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, stride: stride, padding: 0, generator: &generator)
            : nil
    }

    public var summary: String { "ResidualBlock" }

    public var children: [(name: String, module: any Module)] {
        [("conv1", conv1), ("conv2", conv2)] + (projection.map { [("projection", $0)] } ?? [])
    }

    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        let residual = conv2(conv1(input).relu())
        let skip = projection.map { $0(input) } ?? input
        return (skip + residual).relu()
    }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        let inner = try conv2.outputShape(for: try conv1.outputShape(for: inputShape))
        let skip = try projection?.outputShape(for: inputShape) ?? inputShape
        guard skip == inner else {
            throw ShapeError("the skip path gives shape \(skip) but the convolutions give \(inner).")
        }
        return inner
    }
}
