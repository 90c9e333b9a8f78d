import Foundation

/// Checks that two operands share a graph and pass, and returns that graph.
@inline(__always)
func commonGraph(_ lhs: ScalarGrad, _ rhs: ScalarGrad) -> Graph {
    precondition(lhs.graph === rhs.graph,
                 "Both operands must belong to the same graph; got nodes \(lhs.index) and \(rhs.index) of two different graphs.")
    lhs.graph.checkGeneration(lhs.generation)
    rhs.graph.checkGeneration(rhs.generation)
    return lhs.graph
}

extension ScalarGrad {
    /// Records `operation` applied to this node (and `other`, for a binary one).
    @inline(__always)
    func applying(_ operation: Operation, _ other: ScalarGrad? = nil) -> ScalarGrad {
        if let other {
            let graph = commonGraph(self, other)
            return ScalarGrad(graph: graph, index: graph.append(operation, index, other.index))
        }
        graph.checkGeneration(generation)
        return ScalarGrad(graph: graph, index: graph.append(operation, index))
    }

    /// A constant leaf in this node's graph.
    @inline(__always)
    func constant(_ value: Double) -> ScalarGrad {
        ScalarGrad(graph: graph, index: graph.appendLeaf(value))
    }

    /// `a + b`; ∂/∂a = 1, ∂/∂b = 1.
    public static func + (lhs: ScalarGrad, rhs: ScalarGrad) -> ScalarGrad { lhs.applying(.add, rhs) }
    /// `a · b`; ∂/∂a = b, ∂/∂b = a.
    public static func * (lhs: ScalarGrad, rhs: ScalarGrad) -> ScalarGrad { lhs.applying(.multiply, rhs) }
    /// `−a`, as `a · (−1)`.
    public static prefix func - (operand: ScalarGrad) -> ScalarGrad { operand * -1 }
    /// `a − b`, as `a + (−b)`.
    public static func - (lhs: ScalarGrad, rhs: ScalarGrad) -> ScalarGrad { lhs + (-rhs) }
    /// `a / b`, as `a · b⁻¹`.
    public static func / (lhs: ScalarGrad, rhs: ScalarGrad) -> ScalarGrad { lhs * rhs.pow(-1) }

    // With a constant on either side, the constant becomes a leaf of the same graph.
    /// `a + c`: the constant `c` becomes a leaf of `a`'s graph, then an add node.
    public static func + (lhs: ScalarGrad, rhs: Double) -> ScalarGrad { lhs + lhs.constant(rhs) }
    /// `c + a`: the constant `c` becomes a leaf of `a`'s graph, then an add node.
    public static func + (lhs: Double, rhs: ScalarGrad) -> ScalarGrad { rhs.constant(lhs) + rhs }
    /// `a − c`, as `a + (−c)`.
    public static func - (lhs: ScalarGrad, rhs: Double) -> ScalarGrad { lhs + lhs.constant(-rhs) }
    /// `c − a`, as `c + (−1)·a`.
    public static func - (lhs: Double, rhs: ScalarGrad) -> ScalarGrad { rhs.constant(lhs) - rhs }
    /// `a · c`: the constant `c` becomes a leaf, then a multiply node (`∂/∂a = c`).
    public static func * (lhs: ScalarGrad, rhs: Double) -> ScalarGrad { lhs * lhs.constant(rhs) }
    /// `c · a`: the constant `c` becomes a leaf, then a multiply node (`∂/∂a = c`).
    public static func * (lhs: Double, rhs: ScalarGrad) -> ScalarGrad { rhs.constant(lhs) * rhs }
    /// `a / c`, as `a · (1/c)`.
    public static func / (lhs: ScalarGrad, rhs: Double) -> ScalarGrad { lhs * lhs.constant(1 / rhs) }
    /// `c / a`, as `c · a⁻¹`.
    public static func / (lhs: Double, rhs: ScalarGrad) -> ScalarGrad { rhs.constant(lhs) / rhs }

    /// `a = a + b`: a new add node; the old `a` stays in the graph.
    public static func += (lhs: inout ScalarGrad, rhs: ScalarGrad) { lhs = lhs + rhs }
    /// `a = a − b`.
    public static func -= (lhs: inout ScalarGrad, rhs: ScalarGrad) { lhs = lhs - rhs }
    /// `a = a · b`.
    public static func *= (lhs: inout ScalarGrad, rhs: ScalarGrad) { lhs = lhs * rhs }
    /// `a = a / b`.
    public static func /= (lhs: inout ScalarGrad, rhs: ScalarGrad) { lhs = lhs / rhs }
    /// `a = a + c` for a constant `c`.
    public static func += (lhs: inout ScalarGrad, rhs: Double) { lhs = lhs + rhs }
    /// `a = a − c` for a constant `c`.
    public static func -= (lhs: inout ScalarGrad, rhs: Double) { lhs = lhs - rhs }
    /// `a = a · c` for a constant `c`.
    public static func *= (lhs: inout ScalarGrad, rhs: Double) { lhs = lhs * rhs }
    /// `a = a / c` for a constant `c`.
    public static func /= (lhs: inout ScalarGrad, rhs: Double) { lhs = lhs / rhs }
}

// MARK: - Scalar functions

extension ScalarGrad {
    /// `xᵖ` for a constant `p`; ∂/∂x = p·xᵖ⁻¹. Fractional exponents need `x > 0`.
    public func pow(_ exponent: Double) -> ScalarGrad { applying(.power, constant(exponent)) }
    /// `eˣ`; ∂/∂x = eˣ.
    public func exp() -> ScalarGrad { applying(.exp) }
    /// `ln x`; ∂/∂x = 1/x.
    public func log() -> ScalarGrad { applying(.log) }
    /// `tanh x`; ∂/∂x = 1 − tanh² x.
    public func tanh() -> ScalarGrad { applying(.tanh) }
    /// `max(0, x)`; ∂/∂x = 1 for x > 0, else 0.
    public func relu() -> ScalarGrad { applying(.relu) }
    /// `σ(x) = 1 / (1 + e⁻ˣ)`; ∂/∂x = σ(x)·(1 − σ(x)).
    public func sigmoid() -> ScalarGrad { applying(.sigmoid) }
}

/// `xᵖ` for a constant `p`.
public func pow(_ base: ScalarGrad, _ exponent: Double) -> ScalarGrad { base.pow(exponent) }
/// `eˣ`.
public func exp(_ x: ScalarGrad) -> ScalarGrad { x.exp() }
/// `ln x`.
public func log(_ x: ScalarGrad) -> ScalarGrad { x.log() }
/// `tanh x`.
public func tanh(_ x: ScalarGrad) -> ScalarGrad { x.tanh() }
/// `max(0, x)`.
public func relu(_ x: ScalarGrad) -> ScalarGrad { x.relu() }
/// `1 / (1 + e⁻ˣ)`.
public func sigmoid(_ x: ScalarGrad) -> ScalarGrad { x.sigmoid() }

/// `Σᵢ xᵢ` as one node; ∂/∂xᵢ = 1.
public func sum(_ terms: [ScalarGrad]) -> ScalarGrad {
    precondition(!terms.isEmpty, "sum needs at least one term.")
    let graph = terms[0].graph
    for term in terms { _ = commonGraph(terms[0], term) }
    return ScalarGrad(graph: graph, index: graph.appendReduction(.sum, count: terms.count) { terms[$0].index })
}

/// `Σᵢ aᵢ·bᵢ` as one node; ∂/∂aᵢ = bᵢ, ∂/∂bᵢ = aᵢ.
public func dot(_ a: [ScalarGrad], _ b: [ScalarGrad]) -> ScalarGrad {
    precondition(a.count == b.count, "dot needs two lists of one length; got \(a.count) and \(b.count).")
    precondition(!a.isEmpty, "dot needs at least one pair.")
    let graph = a[0].graph
    for i in a.indices { _ = commonGraph(a[0], a[i]); _ = commonGraph(a[0], b[i]) }
    return ScalarGrad(graph: graph, index: graph.appendGatheredDot(count: a.count, bias: -1) { (a[$0].index, b[$0].index) })
}
