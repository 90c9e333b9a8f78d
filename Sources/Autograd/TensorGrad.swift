/// A shaped collection of `ScalarGrad` nodes of one graph, stored in row-major order.
///
/// Operations on tensors are recorded scalar by scalar: an elementwise sum adds one `+` node per
/// element, a matrix product one dot-product node per output element. They exist to build graphs
/// quickly and readably, not to hide the arithmetic.
///
///     let x = tensor([[1, 2], [3, 4]])
///     let loss = (x.matmul(x) - 1).pow(2).mean()
///     loss.backward()
///     x.gradients  // ∂loss/∂x, row-major
public struct TensorGrad {
    /// Where the nodes of a tensor are on the tape.
    enum Layout {
        /// Element `i` is node `start + i`: what every operation produces.
        case contiguous(start: Int32)
        /// Element `i` is node `nodes[i]`: transposes, padding, tensors stacked from scalars.
        case gathered([Int32])
    }

    /// The graph the elements belong to.
    public let graph: Graph
    /// The size along each axis; `[]` for a single scalar.
    public let shape: [Int]
    /// The number of elements: the product of `shape`.
    public let count: Int
    let layout: Layout
    let generation: UInt32

    init(graph: Graph, shape: [Int], layout: Layout) {
        self.graph = graph
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.layout = layout
        self.generation = graph.tape.pointee.generation
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The tape index of element `position` in row-major order.
    @inline(__always)
    func node(at position: Int) -> Int32 {
        switch layout {
        case .contiguous(let start): start + Int32(truncatingIfNeeded: position)
        case .gathered(let nodes): nodes[position]
        }
    }

    /// The tape index of the first element, for tensors whose elements are consecutive nodes.
    var firstNode: Int32 {
        guard case .contiguous(let start) = layout else {
            preconditionFailure("This tensor's elements are not consecutive nodes.")
        }
        return start
    }

    /// The start of the elements when they are consecutive nodes, else `nil`.
    var contiguousStart: Int32? {
        if case .contiguous(let start) = layout { return start }
        return nil
    }

    /// Checks that the tensor belongs to its graph's current pass.
    @inline(__always)
    func checkCurrent() {
        graph.checkGeneration(generation)
    }

    /// The values of the elements, row-major.
    public var values: [Double] {
        checkCurrent()
        let values = graph.tape.pointee.values.base
        return (0..<count).map { values[Int(node(at: $0))] }
    }

    /// The gradients of the elements from the last `backward()`, row-major.
    public var gradients: [Double] {
        checkCurrent()
        let gradients = graph.tape.pointee.gradients.base
        return (0..<count).map { gradients[Int(node(at: $0))] }
    }

    /// The element at row-major `position` as a `ScalarGrad`.
    public func element(atFlat position: Int) -> ScalarGrad {
        precondition(position >= 0 && position < count, "Element \(position) is out of range for a tensor of \(count) elements.")
        checkCurrent()
        return ScalarGrad(graph: graph, index: node(at: position))
    }

    /// All elements as `ScalarGrad`s, row-major.
    public var scalars: [ScalarGrad] { (0..<count).map { element(atFlat: $0) } }

    /// The only element of a one-element tensor.
    public var scalar: ScalarGrad {
        precondition(count == 1, "scalar needs a tensor of one element; this one has shape \(shape).")
        return element(atFlat: 0)
    }

    /// Computes the derivative of this one-element tensor with respect to every node of its graph.
    public func backward() { scalar.backward() }
}

extension TensorGrad: CustomStringConvertible {
    /// The shape and the values: `TensorGrad(shape: [2], values: [1.0, 2.0])`.
    public var description: String { "TensorGrad(shape: \(shape), values: \(values))" }
}

extension TensorGrad {
    /// Adds the gradient of each element to the matching entry of `buffer` (row-major), without
    /// allocating: how a model collects the gradients of its parameters after `backward()`.
    public func addGradients(to buffer: inout [Double]) {
        precondition(buffer.count == count, "A tensor of \(count) elements adds its gradients to a buffer of \(count); got \(buffer.count).")
        checkCurrent()
        let gradients = graph.tape.pointee.gradients.base
        buffer.withUnsafeMutableBufferPointer { target in
            if let start = contiguousStart {
                let source = gradients + Int(start)
                for position in 0..<count { target[position] += source[position] }
            } else {
                for position in 0..<count { target[position] += gradients[Int(node(at: position))] }
            }
        }
    }
}

/// Adds the gradients of `tensors` to `buffer`, element by element and tensor by tensor in order:
/// `buffer[i] + t₀[i] + t₁[i] + …`, the same sums as calling `addGradients(to:)` on each in turn, in
/// one pass over `buffer` (how the chunks of a batch add up their parameters' gradients).
public func addGradients(of tensors: [TensorGrad], to buffer: inout [Double]) {
    var sources: [UnsafePointer<Double>] = []
    for tensor in tensors {
        precondition(buffer.count == tensor.count, "A tensor of \(tensor.count) elements adds its gradients to a buffer of \(tensor.count); got \(buffer.count).")
        tensor.checkCurrent()
        guard let start = tensor.contiguousStart else {
            // Not consecutive nodes: element by element, still in tensor order.
            for tensor in tensors { tensor.addGradients(to: &buffer) }
            return
        }
        sources.append(UnsafePointer(tensor.graph.tape.pointee.gradients.base + Int(start)))
    }
    buffer.withUnsafeMutableBufferPointer { target in
        sources.withUnsafeBufferPointer { sources in
            let block = 256
            var first = 0
            while first < target.count {
                let end = min(target.count, first + block)
                for source in sources {
                    for position in first..<end { target[position] += source[position] }
                }
                first = end
            }
        }
    }
}

/// Writes into `buffer[elements]` the sums of the gradients of `tensors`, element by element and
/// tensor by tensor in order, from zero: `buffer[i] = ((0 + t₀[i]) + t₁[i]) + …`, the same values
/// as zeroing `buffer` and calling `addGradients(to:)` on each tensor in turn, in one pass.
///
/// Only `buffer[elements]` is written and the tensors are only read, so several threads may fill
/// disjoint ranges of one buffer at once (how the chunks of a batch share out adding up their
/// parameters' gradients); each element's sum is the same whichever thread computes it.
public func sumGradients(of tensors: [TensorGrad], into buffer: UnsafeMutableBufferPointer<Double>, elements: Range<Int>) {
    precondition(elements.lowerBound >= 0 && elements.upperBound <= buffer.count,
                 "Elements \(elements) are out of range for a buffer of \(buffer.count).")
    for tensor in tensors {
        precondition(buffer.count == tensor.count, "A tensor of \(tensor.count) elements sums its gradients into a buffer of \(tensor.count); got \(buffer.count).")
        tensor.checkCurrent()
    }
    // Block by block, so that the block of `buffer` stays in cache while each tensor adds to it.
    let block = 256
    var first = elements.lowerBound
    while first < elements.upperBound {
        let end = min(elements.upperBound, first + block)
        if tensors.isEmpty {
            for position in first..<end { buffer[position] = 0 }
        }
        for (index, tensor) in tensors.enumerated() {
            let gradients = tensor.graph.tape.pointee.gradients.base
            // The first tensor's gradients start the sums, as `0 + t₀[i]` (which turns -0 into +0).
            switch (tensor.contiguousStart, index) {
            case (let start?, 0):
                for position in first..<end { buffer[position] = 0 + gradients[Int(start) + position] }
            case (let start?, _):
                for position in first..<end { buffer[position] += gradients[Int(start) + position] }
            case (nil, 0):
                for position in first..<end { buffer[position] = 0 + gradients[Int(tensor.node(at: position))] }
            case (nil, _):
                for position in first..<end { buffer[position] += gradients[Int(tensor.node(at: position))] }
            }
        }
        first = end
    }
}
