import Autograd
import Baifs
import Configuration

extension LayerSpec {
    /// The graph the layer records for inputs of shape `inputShape` (one sample, no batch axis),
    /// which must fit the layer (as the loader has checked). Counts that overflow `Int` saturate
    /// at `Int.max` (see `GraphStatistics`).
    public func graphCost(inputShape: [Int]) -> GraphCost {
        let elements = inputShape.saturatingProduct
        switch self {
        case let .linear(inputSize, outputSize, bias):
            // One strided dot per output: x·W[o] (+ b[o]).
            return GraphCost(perSample: GraphCost.stridedDots(outputSize, pairs: inputSize, bias: bias),
                             perPass: GraphCost.leaves(parameterCount))
        case let .conv2d(inputChannels, outputChannels, kernelSize, stride, padding, bias):
            return Self.convolutionCost(inputShape: inputShape, inputChannels: inputChannels, outputChannels: outputChannels,
                                        kernelSize: kernelSize, stride: stride, padding: padding, bias: bias)
        case let .residual(inputChannels, outputChannels, stride):
            // ReLU(s(x) + conv2(ReLU(conv1(x)))), in the order the block records them.
            let conv1 = Self.convolutionCost(inputShape: inputShape, inputChannels: inputChannels, outputChannels: outputChannels,
                                             kernelSize: 3, stride: stride, padding: 1, bias: true)
            let inner = Self.convolutionOutputShape(inputShape, outputChannels: outputChannels, kernelSize: 3, stride: stride, padding: 1)
            let outputElements = inner.saturatingProduct
            let conv2 = Self.convolutionCost(inputShape: inner, inputChannels: outputChannels, outputChannels: outputChannels,
                                             kernelSize: 3, stride: 1, padding: 1, bias: true)
            var cost = conv1 + GraphCost(perSample: GraphCost.unary(outputElements)) + conv2
            if inputChannels != outputChannels || stride != 1 {
                cost += Self.convolutionCost(inputShape: inputShape, inputChannels: inputChannels, outputChannels: outputChannels,
                                             kernelSize: 1, stride: stride, padding: 0, bias: true)
            }
            return cost + GraphCost(perSample: GraphCost.binary(outputElements) + GraphCost.unary(outputElements))
        case .activation:
            return GraphCost(perSample: GraphCost.unary(elements))
        case .flatten:
            return GraphCost()
        case let .maxPool(kernelSize, _):
            let outputs = outputShape(for: inputShape).saturatingProduct
            return GraphCost(perSample: GraphCost.maxima(outputs, of: kernelSize.saturatingMultiplied(by: kernelSize)))
        case let .averagePool(kernelSize, _):
            // Window sums, then one multiplication each by a shared constant 1/k².
            let outputs = outputShape(for: inputShape).saturatingProduct
            return GraphCost(perSample: GraphCost.sums(outputs, of: kernelSize.saturatingMultiplied(by: kernelSize)) + GraphCost.binary(outputs),
                             perPass: GraphCost.leaves(1))
        case .globalAveragePool:
            // A sum over H·W per channel, then one multiplication each by a shared constant 1/(H·W).
            let channels = inputShape[0]
            return GraphCost(perSample: GraphCost.sums(channels, of: elements / channels) + GraphCost.binary(channels),
                             perPass: GraphCost.leaves(1))
        }
    }

    /// The shape of one sample's output for inputs of shape `inputShape` (which must fit), from
    /// shapes alone: the rules of the modules' `outputShape(for:)`, without building the layer.
    public func outputShape(for inputShape: [Int]) -> [Int] {
        switch self {
        case let .linear(_, outputSize, _):
            return [outputSize]
        case let .conv2d(_, outputChannels, kernelSize, stride, padding, _):
            return Self.convolutionOutputShape(inputShape, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride, padding: padding)
        case let .residual(_, outputChannels, stride):
            return Self.convolutionOutputShape(inputShape, outputChannels: outputChannels, kernelSize: 3, stride: stride, padding: 1)
        case .activation:
            return inputShape
        case .flatten:
            return [inputShape.saturatingProduct]
        case let .maxPool(kernelSize, stride), let .averagePool(kernelSize, stride):
            return Self.convolutionOutputShape(inputShape, outputChannels: inputShape[0], kernelSize: kernelSize, stride: stride, padding: 0)
        case .globalAveragePool:
            return [inputShape[0]]
        }
    }

    /// A convolution over `[C, H, W]`: one window node per output element, whose pairs are the
    /// kernel positions that fall inside the input (those in the zero padding are left out).
    private static func convolutionCost(inputShape: [Int], inputChannels: Int, outputChannels: Int, kernelSize: Int,
                                        stride: Int, padding: Int, bias: Bool) -> GraphCost {
        let (height, width) = (inputShape[1], inputShape[2])
        let outputHeight = convolutionOutputSize(input: height, kernel: kernelSize, stride: stride, padding: padding)
        let outputWidth = convolutionOutputSize(input: width, kernel: kernelSize, stride: stride, padding: padding)
        // The pairs of window (i, j) are C · rows(i) · columns(j), so all windows have C · Σrows · Σcolumns.
        func covered(_ index: Int, _ size: Int) -> Int {
            let start = index * stride - padding
            return max(0, min(kernelSize, size - start) - max(0, -start))
        }
        let rows = (0..<max(0, outputHeight)).lazy.map { covered($0, height) }.saturatingSum
        let columns = (0..<max(0, outputWidth)).lazy.map { covered($0, width) }.saturatingSum
        let windows = [outputChannels, outputHeight, outputWidth].saturatingProduct
        let parameters = [outputChannels, inputChannels, kernelSize, kernelSize].saturatingProduct.saturatingAdding(bias ? outputChannels : 0)
        let pairs = [outputChannels, inputChannels, rows, columns].saturatingProduct
        return GraphCost(perSample: GraphCost.convolutionDots(windows, totalPairs: pairs, bias: bias),
                         perPass: GraphCost.leaves(parameters))
    }

    private static func convolutionOutputShape(_ inputShape: [Int], outputChannels: Int, kernelSize: Int, stride: Int, padding: Int) -> [Int] {
        [outputChannels,
         convolutionOutputSize(input: inputShape[1], kernel: kernelSize, stride: stride, padding: padding),
         convolutionOutputSize(input: inputShape[2], kernel: kernelSize, stride: stride, padding: padding)]
    }
}
