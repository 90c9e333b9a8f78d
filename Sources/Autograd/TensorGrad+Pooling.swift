extension TensorGrad {
    /// Max pooling over the last two axes: each output is the largest input in its
    /// `kernelSize × kernelSize` window, windows `stride` apart (default: `kernelSize`).
    /// `[…, H, W] → […, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1]`.
    public func maxPooled(kernelSize: Int, stride: Int? = nil) -> TensorGrad {
        pooled(.maximum, kernelSize: kernelSize, stride: stride ?? kernelSize)
    }

    /// Average pooling over the last two axes: each output is `(Σ window) · (1/k²)`.
    public func averagePooled(kernelSize: Int, stride: Int? = nil) -> TensorGrad {
        let sums = pooled(.sum, kernelSize: kernelSize, stride: stride ?? kernelSize)
        return sums * (1 / Double(kernelSize * kernelSize))
    }

    private func pooled(_ operation: Operation, kernelSize: Int, stride: Int) -> TensorGrad {
        precondition(rank >= 2, "Pooling needs at least two axes; got shape \(shape).")
        precondition(kernelSize >= 1 && stride >= 1, "Pooling needs kernel size and stride ≥ 1; got \(kernelSize) and \(stride).")
        checkCurrent()
        let (height, width) = (shape[rank - 2], shape[rank - 1])
        precondition(kernelSize <= height && kernelSize <= width, "A pooling kernel of \(kernelSize) does not fit in \(height)×\(width).")
        let outputHeight = convolutionOutputSize(input: height, kernel: kernelSize, stride: stride, padding: 0)
        let outputWidth = convolutionOutputSize(input: width, kernel: kernelSize, stride: stride, padding: 0)
        let planes = count / (height * width)
        let start = Int32(graph.nodeCount)
        for plane in 0..<planes {
            for row in 0..<outputHeight {
                for column in 0..<outputWidth {
                    _ = graph.appendReduction(operation, count: kernelSize * kernelSize) { position in
                        let (u, v) = position.quotientAndRemainder(dividingBy: kernelSize)
                        return node(at: (plane * height + row * stride + u) * width + column * stride + v)
                    }
                }
            }
        }
        return TensorGrad(graph: graph, shape: Array(shape.dropLast(2)) + [outputHeight, outputWidth], layout: .contiguous(start: start))
    }
}
