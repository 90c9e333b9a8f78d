/// A differentiable scalar: one node of a `Graph`.
///
/// Arithmetic on `ScalarGrad`s records new nodes in their graph; `backward()` then gives every node
/// the derivative of this one with respect to it:
///
///     let a = scalar(2), b = scalar(-3)
///     let c = a * b + a.tanh()
///     c.backward()
///     a.grad  // ∂c/∂a = b + 1 − tanh²(a)
public struct ScalarGrad {
    /// The graph this node belongs to.
    public let graph: Graph
    /// The node's position on the tape.
    public let index: Int32
    let generation: UInt32

    init(graph: Graph, index: Int32) {
        self.graph = graph
        self.index = index
        self.generation = graph.tape.pointee.generation
    }

    /// The value computed in the forward pass. Setting it is allowed on leaves only, between passes
    /// (as micrograd's `p.data -= lr * p.grad`); it does not recompute the nodes that use it.
    public var value: Double {
        get {
            graph.checkGeneration(generation)
            return graph.tape.pointee.values.base[Int(index)]
        }
        nonmutating set {
            graph.checkGeneration(generation)
            precondition(operation == .leaf, "Only a leaf's value can be set; this node is a \(operation.symbol).")
            graph.tape.pointee.values.base[Int(index)] = newValue
        }
    }

    /// `∂root/∂self` from the last `backward()` on this graph (0 before any).
    public var grad: Double {
        get {
            graph.checkGeneration(generation)
            return graph.tape.pointee.gradients.base[Int(index)]
        }
        nonmutating set {
            graph.checkGeneration(generation)
            graph.tape.pointee.gradients.base[Int(index)] = newValue
            graph.tape.pointee.gradientsAreZero = false
        }
    }

    /// The operation that computed this node.
    public var operation: Operation {
        graph.tape.pointee.operations.base[Int(index)]
    }

    /// Computes the derivative of this node with respect to every node of its graph, in `grad`.
    public func backward() {
        graph.checkGeneration(generation)
        graph.backward(from: index)
    }
}

extension ScalarGrad: CustomStringConvertible {
    /// The value and the gradient: `ScalarGrad(value: 2.0, grad: -2.0)`.
    public var description: String { "ScalarGrad(value: \(value), grad: \(grad))" }
}

// MARK: - Constructors

/// Returns a leaf holding `value` in `graph` (by default the current thread's graph).
public func scalar(_ value: Double, in graph: Graph = .current) -> ScalarGrad {
    ScalarGrad(graph: graph, index: graph.appendLeaf(value))
}
