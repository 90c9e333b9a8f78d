extension TensorGrad {
    /// `Σ` of all elements, as one node.
    public func sum() -> ScalarGrad {
        checkCurrent()
        return ScalarGrad(graph: graph, index: graph.appendReduction(.sum, count: count) { node(at: $0) })
    }

    /// The mean of all elements: `(Σ xᵢ) · (1/n)`.
    public func mean() -> ScalarGrad {
        sum() * (1 / Double(count))
    }

    /// The largest element, as one node whose gradient goes to the first largest input.
    public func max() -> ScalarGrad {
        checkCurrent()
        return ScalarGrad(graph: graph, index: graph.appendReduction(.maximum, count: count) { node(at: $0) })
    }

    /// Sums along `axis`, removing it: shape `[2, 3]` summed along axis 1 gives shape `[2]`.
    public func sum(axis: Int) -> TensorGrad {
        reduce(.sum, axis: axis)
    }

    /// The mean along `axis`, removing it.
    public func mean(axis: Int) -> TensorGrad {
        let size = Double(shape[normalizedAxis(axis)])
        return sum(axis: axis) * (1 / size)
    }

    /// The largest element along `axis`, removing it.
    public func max(axis: Int) -> TensorGrad {
        reduce(.maximum, axis: axis)
    }

    /// `axis` with negative values counted from the end (`-1` is the last axis).
    func normalizedAxis(_ axis: Int) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        precondition(normalized >= 0 && normalized < rank, "Axis \(axis) is out of range for a tensor of shape \(shape).")
        return normalized
    }

    private func reduce(_ operation: Operation, axis: Int) -> TensorGrad {
        checkCurrent()
        let axis = normalizedAxis(axis)
        let outer = shape[..<axis].reduce(1, *)
        let size = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        precondition(size > 0, "Cannot reduce along axis \(axis) of size 0 (shape \(shape)).")
        var outputShape = shape
        outputShape.remove(at: axis)
        let start = Int32(graph.tape.pointee.count)
        for outerIndex in 0..<outer {
            for innerIndex in 0..<inner {
                let base = outerIndex * size * inner + innerIndex
                _ = graph.appendReduction(operation, count: size) { node(at: base + $0 * inner) }
            }
        }
        return TensorGrad(graph: graph, shape: outputShape, layout: .contiguous(start: start))
    }
}
