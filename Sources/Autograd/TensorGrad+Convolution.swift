/// The size of a convolution or pooling output along one axis: `⌊(size + 2·padding − kernel) / stride⌋ + 1`.
public func convolutionOutputSize(input size: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    (size + 2 * padding - kernel) / stride + 1
}

/// A 2-D convolution (cross-correlation, as PyTorch's `conv2d`) with PyTorch's layouts:
/// input `[N, C, H, W]` (or `[C, H, W]`), weight `[O, C, KH, KW]`, bias `[O]`, output `[N, O, H′, W′]`:
///
///     y[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, c, i·stride + u − padding, j·stride + v − padding]
///
/// with `H′ = ⌊(H + 2·padding − KH) / stride⌋ + 1` (likewise `W′`). Each output element is one
/// dot-product node; positions in the zero padding contribute nothing and are left out of it.
public func conv2d(_ input: TensorGrad, weight: TensorGrad, bias: TensorGrad? = nil, stride: Int = 1, padding: Int = 0) -> TensorGrad {
    let graph = commonGraph(input, weight)
    if let bias { _ = commonGraph(input, bias) }
    precondition(input.rank == 3 || input.rank == 4, "conv2d needs an input of shape [C, H, W] or [N, C, H, W]; got \(input.shape).")
    precondition(weight.rank == 4, "conv2d needs a weight of shape [out, in, kh, kw]; got \(weight.shape).")
    precondition(stride >= 1 && padding >= 0, "conv2d needs stride ≥ 1 and padding ≥ 0; got stride \(stride), padding \(padding).")
    let batched = input.rank == 4
    let (batch, channels, height, width) = batched
        ? (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        : (1, input.shape[0], input.shape[1], input.shape[2])
    let (outputs, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[2], weight.shape[3])
    precondition(weight.shape[1] == channels, "conv2d with weight \(weight.shape) needs \(weight.shape[1]) input channels; got input \(input.shape).")
    if let bias { precondition(bias.shape == [outputs], "conv2d with weight \(weight.shape) needs a bias of shape [\(outputs)]; got \(bias.shape).") }
    let outputHeight = convolutionOutputSize(input: height, kernel: kernelHeight, stride: stride, padding: padding)
    let outputWidth = convolutionOutputSize(input: width, kernel: kernelWidth, stride: stride, padding: padding)
    precondition(outputHeight >= 1 && outputWidth >= 1,
                 "conv2d kernel \(kernelHeight)×\(kernelWidth) is larger than the padded input \(height + 2 * padding)×\(width + 2 * padding).")
    let terms = channels * kernelHeight * kernelWidth
    let start = Int32(graph.nodeCount)
    if FusedKernels.isEnabled, stride == 1, kernelHeight == kernelWidth,
       batch * outputs * outputHeight * outputWidth * terms >= FusedKernels.minimumProducts,
       let inputStart = input.contiguousStart, let weightStart = weight.contiguousStart,
       let biasStart = bias == nil ? Int32(-1) : bias!.contiguousStart,
       disjoint([(inputStart, input.count), (weightStart, weight.count), (biasStart, biasStart >= 0 ? outputs : 0)]),
       let first = graph.appendConvolutionSpan(input: inputStart, weight: weightStart, bias: biasStart, batch: batch,
                                               channels: channels, height: height, width: width, outputs: outputs,
                                               kernel: kernelHeight, padding: padding) {
        // A stride-1 convolution over consecutive nodes: one span, run by the fused kernels.
        let spatial = [outputs, outputHeight, outputWidth]
        return TensorGrad(graph: graph, shape: batched ? [batch] + spatial : spatial, layout: .contiguous(start: first))
    }
    if let inputStart = input.contiguousStart, let weightStart = weight.contiguousStart {
        // Both operands are consecutive nodes: each output is a convolution-window node whose inputs
        // follow from its geometry, with no operand lists to write or read.
        for sample in 0..<batch {
            let sampleStart = Int(inputStart) + sample * channels * height * width
            for output in 0..<outputs {
                let biasNode = bias?.node(at: output) ?? -1
                for row in 0..<outputHeight {
                    // The kernel rows and columns that overlap the input (not the padding).
                    let top = row * stride - padding
                    let rows = max(0, -top)..<min(kernelHeight, height - top)
                    for column in 0..<outputWidth {
                        let left = column * stride - padding
                        let columns = max(0, -left)..<min(kernelWidth, width - left)
                        _ = graph.appendConvolutionDot(ConvolutionWindow(
                            weight: Int32(Int(weightStart) + output * terms + rows.lowerBound * kernelWidth + columns.lowerBound),
                            input: Int32(sampleStart + (top + rows.lowerBound) * width + left + columns.lowerBound),
                            bias: biasNode, channels: Int32(channels), rows: Int32(rows.count), columns: Int32(columns.count),
                            weightRowStride: Int32(kernelWidth), inputRowStride: Int32(width),
                            weightPlaneStride: Int32(kernelHeight * kernelWidth), inputPlaneStride: Int32(height * width)))
                    }
                }
            }
        }
        let spatial = [outputs, outputHeight, outputWidth]
        return TensorGrad(graph: graph, shape: batched ? [batch] + spatial : spatial, layout: .contiguous(start: start))
    }
    for sample in 0..<batch {
        let sampleOffset = sample * channels * height * width
        for output in 0..<outputs {
            let biasNode = bias?.node(at: output) ?? -1
            let weightOffset = output * terms
            for row in 0..<outputHeight {
                for column in 0..<outputWidth {
                    _ = graph.appendGatheredDot(capacity: terms, bias: biasNode) { pairs in
                        var written = 0
                        for channel in 0..<channels {
                            for u in 0..<kernelHeight {
                                let y = row * stride + u - padding
                                guard y >= 0 && y < height else { continue }
                                for v in 0..<kernelWidth {
                                    let x = column * stride + v - padding
                                    guard x >= 0 && x < width else { continue }
                                    pairs[2 * written] = weight.node(at: weightOffset + (channel * kernelHeight + u) * kernelWidth + v)
                                    pairs[2 * written + 1] = input.node(at: sampleOffset + (channel * height + y) * width + x)
                                    written += 1
                                }
                            }
                        }
                        return written
                    }
                }
            }
        }
    }
    let spatial = [outputs, outputHeight, outputWidth]
    return TensorGrad(graph: graph, shape: batched ? [batch] + spatial : spatial, layout: .contiguous(start: start))
}

extension TensorGrad {
    /// The tensor with `padding` zeros around the last two axes: `[…, H, W] → […, H + 2p, W + 2p]`.
    /// The border is one constant leaf, shared; the interior is this tensor's own nodes.
    public func zeroPadded(_ padding: Int) -> TensorGrad {
        precondition(rank >= 2, "zeroPadded needs at least two axes; got shape \(shape).")
        precondition(padding >= 0, "Padding must be ≥ 0; got \(padding).")
        checkCurrent()
        if padding == 0 { return self }
        let (height, width) = (shape[rank - 2], shape[rank - 1])
        let (paddedHeight, paddedWidth) = (height + 2 * padding, width + 2 * padding)
        let planes = count / Swift.max(1, height * width)
        let zero = graph.appendLeaf(0)
        var nodes = [Int32](repeating: zero, count: planes * paddedHeight * paddedWidth)
        for plane in 0..<planes {
            for y in 0..<height {
                for x in 0..<width {
                    nodes[(plane * paddedHeight + y + padding) * paddedWidth + x + padding] = node(at: (plane * height + y) * width + x)
                }
            }
        }
        return TensorGrad(graph: graph, shape: Array(shape.dropLast(2)) + [paddedHeight, paddedWidth], layout: .gathered(nodes))
    }
}
