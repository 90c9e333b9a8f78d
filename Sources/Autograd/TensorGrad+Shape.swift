extension TensorGrad {
    /// The same elements under another shape with as many elements (row-major order is kept).
    public func reshaped(_ newShape: [Int]) -> TensorGrad {
        precondition(newShape.allSatisfy { $0 >= 0 } && newShape.reduce(1, *) == count,
                     "Cannot reshape \(shape) (\(count) elements) to \(newShape) (\(newShape.reduce(1, *)) elements).")
        checkCurrent()
        return TensorGrad(graph: graph, shape: newShape, layout: layout)
    }

    /// The elements as a vector, in row-major (for C×H×W: channel, then row, then column) order.
    public func flattened() -> TensorGrad { reshaped([count]) }

    /// Flattens every axis from `startAxis` on: `[N, C, H, W]` with `startAxis: 1` gives `[N, C·H·W]`.
    public func flattened(from startAxis: Int) -> TensorGrad {
        precondition(startAxis >= 0 && startAxis <= rank, "Axis \(startAxis) is out of range for shape \(shape).")
        return reshaped(Array(shape[..<startAxis]) + [shape[startAxis...].reduce(1, *)])
    }

    /// The transpose of a matrix: `[m, n] → [n, m]`. No nodes are recorded.
    public func transposed() -> TensorGrad {
        precondition(rank == 2, "transposed needs a matrix; got shape \(shape).")
        checkCurrent()
        let (rows, columns) = (shape[0], shape[1])
        var nodes = [Int32]()
        nodes.reserveCapacity(count)
        for column in 0..<columns {
            for row in 0..<rows { nodes.append(node(at: row * columns + column)) }
        }
        return TensorGrad(graph: graph, shape: [columns, rows], layout: .gathered(nodes))
    }

    /// The sub-tensor at `index` along the first axis: a row of a matrix, a sample of a batch.
    public subscript(_ index: Int) -> TensorGrad {
        precondition(rank >= 1, "A scalar tensor has no rows.")
        precondition(index >= 0 && index < shape[0], "Index \(index) is out of range for the first axis of shape \(shape).")
        checkCurrent()
        let rowShape = Array(shape.dropFirst())
        let size = rowShape.reduce(1, *)
        switch layout {
        case .contiguous(let start):
            return TensorGrad(graph: graph, shape: rowShape, layout: .contiguous(start: start + Int32(index * size)))
        case .gathered(let nodes):
            return TensorGrad(graph: graph, shape: rowShape, layout: .gathered(Array(nodes[(index * size)..<((index + 1) * size)])))
        }
    }

    /// The element at the given position, one index per axis.
    public subscript(_ first: Int, _ second: Int, _ rest: Int...) -> ScalarGrad {
        element([first, second] + rest)
    }

    /// The element at the given position, one index per axis.
    public func element(_ indices: [Int]) -> ScalarGrad {
        precondition(indices.count == rank, "A tensor of shape \(shape) needs \(rank) indices; got \(indices.count).")
        var position = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "Index \(index) is out of range for axis \(axis) of shape \(shape).")
            position = position * shape[axis] + index
        }
        return element(atFlat: position)
    }

    /// Tensors of one shape stacked along a new first axis: `n` tensors of shape `s` give `[n] + s`.
    public static func stacked(_ tensors: [TensorGrad]) -> TensorGrad {
        precondition(!tensors.isEmpty, "stacked needs at least one tensor.")
        for tensor in tensors {
            _ = commonGraph(tensors[0], tensor)
            precondition(tensor.shape == tensors[0].shape, "Stacked tensors must have one shape; got \(tensors[0].shape) and \(tensor.shape).")
        }
        var nodes = [Int32]()
        nodes.reserveCapacity(tensors.count * tensors[0].count)
        for tensor in tensors {
            for position in 0..<tensor.count { nodes.append(tensor.node(at: position)) }
        }
        return TensorGrad(graph: tensors[0].graph, shape: [tensors.count] + tensors[0].shape, layout: .gathered(nodes))
    }
}
