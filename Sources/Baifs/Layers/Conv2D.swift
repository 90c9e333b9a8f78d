import Autograd

/// A 2-D convolution over `[N, C, H, W]` inputs with weight `[out, in, k, k]` and bias `[out]`
/// (PyTorch's layouts); see `conv2d(_:weight:bias:stride:padding:)` for the formula.
public final class Conv2D: Module {
    /// The channels `C_in` of the input feature maps.
    public let inputChannels: Int
    /// The channels `C_out` of the output, one filter each.
    public let outputChannels: Int
    /// The side `k` of the square kernel.
    public let kernelSize: Int
    /// The step `s` between windows.
    public let stride: Int
    /// The zeros `p` added on each side of the height and width.
    public let padding: Int
    /// The kernels `W`, shape `[out, in, k, k]`.
    public let weight: Parameter
    /// The bias `b`, shape `[out]`, or `nil`.
    public let bias: Parameter?

    /// Creates a convolution with PyTorch's default initialisation: `W` and `b` uniform in
    /// `±1/√(in·k·k)`, drawn from `generator` (weight first, then bias).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, generator: inout RandomGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0, "A convolution needs positive channels and kernel size.")
        precondition(stride > 0 && padding >= 0, "A convolution needs stride ≥ 1 and padding ≥ 0; got \(stride) and \(padding).")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let bound = 1 / Double(inputChannels * kernelSize * kernelSize).squareRoot()
        weight = Parameter(shape: [outputChannels, inputChannels, kernelSize, kernelSize], uniformBound: bound, generator: &generator)
        self.bias = bias ? Parameter(shape: [outputChannels], uniformBound: bound, generator: &generator) : nil
    }

    public var summary: String {
        "Conv2D(in: \(inputChannels), out: \(outputChannels), kernel: \(kernelSize), stride: \(stride), padding: \(padding), bias: \(bias != nil))"
    }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        conv2d(input, weight: weight.tensor(in: input.graph), bias: bias?.tensor(in: input.graph), stride: stride, padding: padding)
    }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        guard inputShape.count == 3 else {
            throw ShapeError("a convolution needs a channels × height × width input; got shape \(inputShape).")
        }
        guard inputShape[0] == inputChannels else {
            throw ShapeError("a convolution with \(inputChannels) input channels gets \(inputShape[0]) channels (input shape \(inputShape)); set its input channels to \(inputShape[0]).")
        }
        let (paddedHeight, paddedWidth) = (inputShape[1] + 2 * padding, inputShape[2] + 2 * padding)
        guard kernelSize <= paddedHeight && kernelSize <= paddedWidth else {
            throw ShapeError("a \(kernelSize)×\(kernelSize) kernel is larger than its padded input \(paddedHeight)×\(paddedWidth).")
        }
        return [outputChannels,
                convolutionOutputSize(input: inputShape[1], kernel: kernelSize, stride: stride, padding: padding),
                convolutionOutputSize(input: inputShape[2], kernel: kernelSize, stride: stride, padding: padding)]
    }
}
