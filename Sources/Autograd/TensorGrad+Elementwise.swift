/// Checks that two tensors share a graph and pass, and returns that graph.
@inline(__always)
func commonGraph(_ lhs: TensorGrad, _ rhs: TensorGrad) -> Graph {
    precondition(lhs.graph === rhs.graph, "Both tensors must belong to the same graph; got tensors of shapes \(lhs.shape) and \(rhs.shape) from two different graphs.")
    lhs.checkCurrent()
    rhs.checkCurrent()
    return lhs.graph
}

extension TensorGrad {
    /// Records `operation` on each element (and the matching element of `other`, for a binary one).
    func mapElements(_ operation: Operation, _ other: TensorGrad? = nil, symbol: String? = nil) -> TensorGrad {
        if let other {
            _ = commonGraph(self, other)
            precondition(shape == other.shape, "Shapes must match for \(symbol ?? operation.symbol): got \(shape) and \(other.shape).")
        } else {
            checkCurrent()
        }
        if FusedKernels.isEnabled, count >= 64, [.relu, .tanh, .add].contains(operation), let first = contiguousStart,
           (operation == .add) == (other != nil), let second = other.map({ $0.contiguousStart }) ?? -1,
           second < 0 || second == first || disjoint([(first, count), (second, count)]) {
            return TensorGrad(graph: graph, shape: shape,
                              layout: .contiguous(start: graph.appendElementwiseSpan(operation, first, second, count: count)))
        }
        graph.tape.pointee.reserveNodes(count)
        let start = Int32(graph.tape.pointee.count)
        for position in 0..<count {
            _ = graph.append(operation, node(at: position), other?.node(at: position) ?? -1)
        }
        return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
    }

    /// Records `operation` between each element and one scalar node.
    func mapElements(_ operation: Operation, scalar: ScalarGrad, scalarFirst: Bool = false) -> TensorGrad {
        precondition(graph === scalar.graph, "The tensor and the scalar must belong to the same graph.")
        checkCurrent()
        graph.checkGeneration(scalar.generation)
        graph.tape.pointee.reserveNodes(count)
        let start = Int32(graph.tape.pointee.count)
        for position in 0..<count {
            if scalarFirst {
                _ = graph.append(operation, scalar.index, node(at: position))
            } else {
                _ = graph.append(operation, node(at: position), scalar.index)
            }
        }
        return TensorGrad(graph: graph, shape: shape, layout: .contiguous(start: start))
    }

    /// A constant leaf in this tensor's graph.
    func constant(_ value: Double) -> ScalarGrad {
        ScalarGrad(graph: graph, index: graph.appendLeaf(value))
    }

    // MARK: Tensor with tensor of the same shape

    /// Elementwise `a + b`.
    public static func + (lhs: TensorGrad, rhs: TensorGrad) -> TensorGrad { lhs.mapElements(.add, rhs) }
    /// Elementwise `a · b`.
    public static func * (lhs: TensorGrad, rhs: TensorGrad) -> TensorGrad { lhs.mapElements(.multiply, rhs) }
    /// Elementwise `a − b`, as `a + b·(−1)`.
    public static func - (lhs: TensorGrad, rhs: TensorGrad) -> TensorGrad {
        precondition(lhs.shape == rhs.shape, "Shapes must match for -: got \(lhs.shape) and \(rhs.shape).")
        return lhs + (-rhs)
    }
    /// Elementwise `a / b`, as `a · b⁻¹`.
    public static func / (lhs: TensorGrad, rhs: TensorGrad) -> TensorGrad {
        precondition(lhs.shape == rhs.shape, "Shapes must match for /: got \(lhs.shape) and \(rhs.shape).")
        return lhs * rhs.pow(-1)
    }
    /// Elementwise `−a`, as `a · (−1)`.
    public static prefix func - (operand: TensorGrad) -> TensorGrad { operand * -1 }

    // MARK: Tensor with a scalar, broadcast to every element

    /// `tᵢ + s` for every element: one add node each, the scalar broadcast.
    public static func + (lhs: TensorGrad, rhs: ScalarGrad) -> TensorGrad { lhs.mapElements(.add, scalar: rhs) }
    /// `s + tᵢ` for every element: one add node each, the scalar broadcast.
    public static func + (lhs: ScalarGrad, rhs: TensorGrad) -> TensorGrad { rhs.mapElements(.add, scalar: lhs, scalarFirst: true) }
    /// `tᵢ · s` for every element: one multiply node each, the scalar broadcast.
    public static func * (lhs: TensorGrad, rhs: ScalarGrad) -> TensorGrad { lhs.mapElements(.multiply, scalar: rhs) }
    /// `s · tᵢ` for every element: one multiply node each, the scalar broadcast.
    public static func * (lhs: ScalarGrad, rhs: TensorGrad) -> TensorGrad { rhs.mapElements(.multiply, scalar: lhs, scalarFirst: true) }
    /// `tᵢ − s`, as `tᵢ + (−s)`.
    public static func - (lhs: TensorGrad, rhs: ScalarGrad) -> TensorGrad { lhs + (-rhs) }
    /// `s − tᵢ`, as `s + (−tᵢ)`.
    public static func - (lhs: ScalarGrad, rhs: TensorGrad) -> TensorGrad { lhs + (-rhs) }
    /// `tᵢ / s`, as `tᵢ · s⁻¹`.
    public static func / (lhs: TensorGrad, rhs: ScalarGrad) -> TensorGrad { lhs * rhs.pow(-1) }
    /// `s / tᵢ`, as `s · tᵢ⁻¹`.
    public static func / (lhs: ScalarGrad, rhs: TensorGrad) -> TensorGrad { lhs * rhs.pow(-1) }

    /// `tᵢ + c` for a constant `c`, a leaf of the tensor's graph.
    public static func + (lhs: TensorGrad, rhs: Double) -> TensorGrad { lhs + lhs.constant(rhs) }
    /// `c + tᵢ` for a constant `c`, a leaf of the tensor's graph.
    public static func + (lhs: Double, rhs: TensorGrad) -> TensorGrad { rhs.constant(lhs) + rhs }
    /// `tᵢ − c`, as `tᵢ + (−c)`.
    public static func - (lhs: TensorGrad, rhs: Double) -> TensorGrad { lhs + lhs.constant(-rhs) }
    /// `c − tᵢ`, as `c + (−tᵢ)`.
    public static func - (lhs: Double, rhs: TensorGrad) -> TensorGrad { rhs.constant(lhs) - rhs }
    /// `tᵢ · c` for a constant `c`.
    public static func * (lhs: TensorGrad, rhs: Double) -> TensorGrad { lhs * lhs.constant(rhs) }
    /// `c · tᵢ` for a constant `c`.
    public static func * (lhs: Double, rhs: TensorGrad) -> TensorGrad { rhs.constant(lhs) * rhs }
    /// `tᵢ / c`, as `tᵢ · (1/c)`.
    public static func / (lhs: TensorGrad, rhs: Double) -> TensorGrad { lhs * lhs.constant(1 / rhs) }
    /// `c / tᵢ`, as `c · tᵢ⁻¹`.
    public static func / (lhs: Double, rhs: TensorGrad) -> TensorGrad { rhs.constant(lhs) / rhs }

    // MARK: Unary functions, element by element

    /// Elementwise `xᵖ` for a constant `p`.
    public func pow(_ exponent: Double) -> TensorGrad { mapElements(.power, scalar: constant(exponent)) }
    /// Elementwise `eˣ`.
    public func exp() -> TensorGrad { mapElements(.exp) }
    /// Elementwise `ln x`.
    public func log() -> TensorGrad { mapElements(.log) }
    /// Elementwise `tanh x`.
    public func tanh() -> TensorGrad { mapElements(.tanh) }
    /// Elementwise `max(0, x)`.
    public func relu() -> TensorGrad { mapElements(.relu) }
    /// Elementwise `1 / (1 + e⁻ˣ)`.
    public func sigmoid() -> TensorGrad { mapElements(.sigmoid) }
}
