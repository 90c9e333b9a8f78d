/// Returns a tensor of leaves with the given `shape` and row-major `values`.
public func tensor(shape: [Int], values: [Double], in graph: Graph = .current) -> TensorGrad {
    precondition(shape.allSatisfy { $0 >= 0 }, "A shape has no negative sizes; got \(shape).")
    let count = shape.reduce(1, *)
    precondition(values.count == count, "Shape \(shape) holds \(count) values; got \(values.count).")
    graph.tape.pointee.reserveNodes(count)
    let start = values.withUnsafeBufferPointer { graph.tape.pointee.appendLeavesReserved($0) }
    return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
}

/// Returns a tensor of constant leaves: like `tensor(shape:values:in:)`, but `backward()` computes
/// no gradient for them (theirs stays 0), which spares the work for data fed to a model.
public func constantTensor(shape: [Int], values: [Double], in graph: Graph = .current) -> TensorGrad {
    constantTensor(shape: shape, values: values[...], in: graph)
}

/// Returns a tensor of constant leaves holding a slice of values; see `constantTensor(shape:values:in:)`.
public func constantTensor(shape: [Int], values: ArraySlice<Double>, in graph: Graph = .current) -> TensorGrad {
    precondition(shape.allSatisfy { $0 >= 0 }, "A shape has no negative sizes; got \(shape).")
    let count = shape.reduce(1, *)
    precondition(values.count == count, "Shape \(shape) holds \(count) values; got \(values.count).")
    graph.tape.pointee.reserveNodes(count)
    let start = values.withUnsafeBufferPointer { graph.tape.pointee.appendLeavesReserved($0) }
    graph.tape.pointee.appendConstants(start..<(start + Int32(count)))
    return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
}

/// Returns a tensor of leaves filled with `value`.
public func tensor(repeating value: Double, shape: [Int], in graph: Graph = .current) -> TensorGrad {
    tensor(shape: shape, values: Array(repeating: value, count: shape.reduce(1, *)), in: graph)
}

/// Returns a vector of leaves: `tensor([1, 2, 3])` has shape `[3]`.
public func tensor(_ values: [Double], in graph: Graph = .current) -> TensorGrad {
    tensor(shape: [values.count], values: values, in: graph)
}

/// Returns a matrix of leaves: `tensor([[1, 2], [3, 4]])` has shape `[2, 2]`.
public func tensor(_ rows: [[Double]], in graph: Graph = .current) -> TensorGrad {
    let width = rows.first?.count ?? 0
    for (row, values) in rows.enumerated() {
        precondition(values.count == width, "Rows must have one length: row 0 has \(width) elements, row \(row) has \(values.count).")
    }
    return tensor(shape: [rows.count, width], values: rows.flatMap { $0 }, in: graph)
}

/// Returns a rank-3 tensor of leaves, such as channels × height × width.
public func tensor(_ planes: [[[Double]]], in graph: Graph = .current) -> TensorGrad {
    let inner = planes.map { tensorShape(of: $0) }
    for (plane, shape) in inner.enumerated() {
        precondition(shape == inner[0], "Sub-arrays must have one shape: element 0 has shape \(inner[0]), element \(plane) has \(shape).")
    }
    return tensor(shape: [planes.count] + (inner.first ?? [0, 0]), values: planes.flatMap { $0.flatMap { $0 } }, in: graph)
}

/// Returns a rank-4 tensor of leaves, such as batch × channels × height × width.
public func tensor(_ blocks: [[[[Double]]]], in graph: Graph = .current) -> TensorGrad {
    let inner = blocks.map { block -> [Int] in
        let shapes = block.map { tensorShape(of: $0) }
        for (plane, shape) in shapes.enumerated() {
            precondition(shape == shapes[0], "Sub-arrays must have one shape: element 0 has shape \(shapes[0]), element \(plane) has \(shape).")
        }
        return [block.count] + (shapes.first ?? [0, 0])
    }
    for (block, shape) in inner.enumerated() {
        precondition(shape == inner[0], "Sub-arrays must have one shape: element 0 has shape \(inner[0]), element \(block) has \(shape).")
    }
    return tensor(shape: [blocks.count] + (inner.first ?? [0, 0, 0]),
                  values: blocks.flatMap { $0.flatMap { $0.flatMap { $0 } } }, in: graph)
}

/// Returns a tensor whose elements are the given nodes (no new nodes are recorded).
public func tensor(_ scalars: [ScalarGrad], shape: [Int]? = nil) -> TensorGrad {
    precondition(!scalars.isEmpty, "A tensor of scalars needs at least one scalar.")
    let shape = shape ?? [scalars.count]
    precondition(shape.reduce(1, *) == scalars.count, "Shape \(shape) holds \(shape.reduce(1, *)) elements; got \(scalars.count) scalars.")
    let graph = scalars[0].graph
    for element in scalars { _ = commonGraph(scalars[0], element) }
    return TensorGrad(graph: graph, shape: shape, layout: .gathered(scalars.map(\.index)))
}

private func tensorShape(of rows: [[Double]]) -> [Int] {
    let width = rows.first?.count ?? 0
    for (row, values) in rows.enumerated() {
        precondition(values.count == width, "Rows must have one length: row 0 has \(width) elements, row \(row) has \(values.count).")
    }
    return [rows.count, width]
}
