import Autograd

/// Pooling over `kernelSize × kernelSize` windows, `stride` apart (default: `kernelSize`), of
/// `[N, C, H, W]` inputs: each output is the largest value of its window (`MaxPool2D`) or their mean
/// (`AvgPool2D`).
public class Pool2D: Module {
    /// What a window becomes.
    public enum Reduction: Sendable {
        /// The largest value of the window.
        case maximum
        /// The mean of the window's values.
        case average
    }

    /// How each window is reduced.
    public let reduction: Reduction
    /// The side of the square window.
    public let kernelSize: Int
    /// The step between windows.
    public let stride: Int

    /// Creates a pooling layer over `kernelSize × kernelSize` windows; `stride` defaults to the
    /// kernel size (windows that do not overlap).
    public init(_ reduction: Reduction, kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0, "Pooling needs a positive kernel size and stride.")
        self.reduction = reduction
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public var summary: String {
        "\(reduction == .maximum ? "MaxPool2D" : "AvgPool2D")(kernel: \(kernelSize), stride: \(stride))"
    }

    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        switch reduction {
        case .maximum: input.maxPooled(kernelSize: kernelSize, stride: stride)
        case .average: input.averagePooled(kernelSize: kernelSize, stride: stride)
        }
    }

    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        guard inputShape.count == 3 else {
            throw ShapeError("pooling needs a channels × height × width input; got shape \(inputShape).")
        }
        guard kernelSize <= inputShape[1] && kernelSize <= inputShape[2] else {
            throw ShapeError("a \(kernelSize)×\(kernelSize) pooling window is larger than its input \(inputShape[1])×\(inputShape[2]).")
        }
        return [inputShape[0],
                convolutionOutputSize(input: inputShape[1], kernel: kernelSize, stride: stride, padding: 0),
                convolutionOutputSize(input: inputShape[2], kernel: kernelSize, stride: stride, padding: 0)]
    }
}

/// Max pooling: each output is the largest input of its window.
public final class MaxPool2D: Pool2D {
    /// Creates a max-pooling layer; `stride` defaults to the kernel size.
    public init(kernelSize: Int, stride: Int? = nil) { super.init(.maximum, kernelSize: kernelSize, stride: stride) }
}

/// Average pooling: each output is the mean of its window.
public final class AvgPool2D: Pool2D {
    /// Creates an average-pooling layer; `stride` defaults to the kernel size.
    public init(kernelSize: Int, stride: Int? = nil) { super.init(.average, kernelSize: kernelSize, stride: stride) }
}

/// The mean of each channel over all positions: `[N, C, H, W] → [N, C]`.
public final class GlobalAvgPool2D: Module {
    /// Creates the layer; it has no parameters.
    public init() {}
    public var summary: String { "GlobalAvgPool2D()" }
    public func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        precondition(input.rank == 4, "Global average pooling needs [N, C, H, W]; got \(input.shape).")
        let (height, width) = (input.shape[2], input.shape[3])
        return input.reshaped([input.shape[0], input.shape[1], height * width]).mean(axis: 2)
    }
    public func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] {
        guard inputShape.count == 3 else { throw ShapeError("global average pooling needs a channels × height × width input; got shape \(inputShape).") }
        return [inputShape[0]]
    }
}
