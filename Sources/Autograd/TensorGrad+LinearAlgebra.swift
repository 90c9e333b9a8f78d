/// The dot product of two vectors of one length: `Σᵢ aᵢ·bᵢ`, as one node.
public func dot(_ a: TensorGrad, _ b: TensorGrad) -> ScalarGrad {
    let graph = commonGraph(a, b)
    precondition(a.rank == 1 && b.rank == 1 && a.count == b.count,
                 "dot needs two vectors of one length; got shapes \(a.shape) and \(b.shape).")
    let index = appendDot(graph, a, start: 0, stride: 1, b, start: 0, stride: 1, count: a.count, bias: -1)
    return ScalarGrad(graph: graph, index: index)
}

/// The matrix product `a·b`: `[m, k]·[k, n] → [m, n]`, `[k]·[k, n] → [n]` or `[m, k]·[k] → [m]`.
/// Each output element is one dot-product node `Σⱼ a[i, j]·b[j, l]`.
public func matmul(_ a: TensorGrad, _ b: TensorGrad) -> TensorGrad {
    let graph = commonGraph(a, b)
    precondition((a.rank == 1 || a.rank == 2) && (b.rank == 1 || b.rank == 2) && !(a.rank == 1 && b.rank == 1),
                 "matmul needs a matrix and a matrix or vector; got shapes \(a.shape) and \(b.shape). Use dot for two vectors.")
    let rows = a.rank == 2 ? a.shape[0] : 1
    let inner = a.shape[a.rank - 1]
    let columns = b.rank == 2 ? b.shape[1] : 1
    precondition(b.shape[0] == inner,
                 "matmul needs the inner sizes to match: \(a.shape)·\(b.shape) has \(inner) against \(b.shape[0]).")
    let start = Int32(graph.nodeCount)
    for row in 0..<rows {
        for column in 0..<columns {
            _ = appendDot(graph, a, start: row * inner, stride: 1, b, start: column, stride: columns, count: inner, bias: -1)
        }
    }
    var shape: [Int] = []
    if a.rank == 2 { shape.append(rows) }
    if b.rank == 2 { shape.append(columns) }
    return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
}

extension TensorGrad {
    /// The matrix product `self·other`; see `matmul(_:_:)`.
    public func matmul(_ other: TensorGrad) -> TensorGrad { Autograd.matmul(self, other) }
}

/// The affine map of a linear layer, `y = x·Wᵀ + b`, with PyTorch's weight layout `[out, in]`:
/// `y[n, o] = b[o] + Σᵢ x[n, i]·W[o, i]`, one dot-product node per output element (bias included).
/// `input` is `[in]` or `[batch, in]`; `bias`, if given, is `[out]`.
public func linear(_ input: TensorGrad, weight: TensorGrad, bias: TensorGrad? = nil) -> TensorGrad {
    let graph = commonGraph(input, weight)
    if let bias { _ = commonGraph(input, bias) }
    precondition(weight.rank == 2, "A linear weight has shape [out, in]; got \(weight.shape).")
    let (outputs, inputs) = (weight.shape[0], weight.shape[1])
    precondition((input.rank == 1 || input.rank == 2) && input.shape[input.rank - 1] == inputs,
                 "linear with weight \(weight.shape) needs an input of shape [\(inputs)] or [batch, \(inputs)]; got \(input.shape).")
    if let bias {
        precondition(bias.shape == [outputs], "linear with weight \(weight.shape) needs a bias of shape [\(outputs)]; got \(bias.shape).")
    }
    let batch = input.rank == 2 ? input.shape[0] : 1
    let shape = input.rank == 2 ? [batch, outputs] : [outputs]
    // Layers of a few hundred products are faster node by node than through a kernel call.
    if FusedKernels.isEnabled, batch * inputs * outputs >= FusedKernels.minimumProducts, let inputStart = input.contiguousStart, let weightStart = weight.contiguousStart,
       let biasStart = bias == nil ? Int32(-1) : bias!.contiguousStart,
       disjoint([(inputStart, batch * inputs), (weightStart, outputs * inputs), (biasStart, biasStart >= 0 ? outputs : 0)]) {
        let start = graph.appendLinearSpan(input: inputStart, weight: weightStart, bias: biasStart,
                                           batch: batch, inputs: inputs, outputs: outputs)
        return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
    }
    let start = Int32(graph.nodeCount)
    for sample in 0..<batch {
        for output in 0..<outputs {
            _ = appendDot(graph, input, start: sample * inputs, stride: 1, weight, start: output * inputs, stride: 1,
                          count: inputs, bias: bias?.node(at: output) ?? -1)
        }
    }
    return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
}

/// Whether the node ranges `start ..< start + count` share no node (empty ranges share none).
func disjoint(_ ranges: [(start: Int32, count: Int)]) -> Bool {
    let used = ranges.filter { $0.count > 0 }
    for (index, a) in used.enumerated() {
        for b in used[(index + 1)...] where Int(a.start) < Int(b.start) + b.count && Int(b.start) < Int(a.start) + a.count {
            return false
        }
    }
    return true
}

/// Appends `bias + Σᵢ a[aStart + i·aStride]·b[bStart + i·bStride]` (positions in row-major element
/// order), as a strided node when both tensors are consecutive nodes and a gathered one otherwise.
@inline(__always)
func appendDot(_ graph: Graph, _ a: TensorGrad, start aStart: Int, stride aStride: Int,
               _ b: TensorGrad, start bStart: Int, stride bStride: Int, count: Int, bias: Int32) -> Int32 {
    if let aFirst = a.contiguousStart, let bFirst = b.contiguousStart {
        return graph.appendStridedDot(first: aFirst + Int32(aStart), firstStride: Int32(aStride),
                                      second: bFirst + Int32(bStart), secondStride: Int32(bStride),
                                      count: Int32(count), bias: bias)
    }
    return graph.appendGatheredDot(count: count, bias: bias) { i in
        (a.node(at: aStart + i * aStride), b.node(at: bStart + i * bStride))
    }
}
