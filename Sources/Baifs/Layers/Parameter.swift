import Autograd

/// A trainable array of values with the gradient that the last backward pass gave it.
///
/// Parameters live outside any graph: each forward pass binds them into its graph as leaves
/// (`tensor(in:)`), and after `backward()` the model copies the leaves' gradients back
/// (`Module.collectGradients(from:)`). Layouts follow PyTorch: a linear weight is `[out, in]`.
public final class Parameter {
    /// The size along each axis.
    public let shape: [Int]
    /// The values, row-major.
    public var values: [Double]
    /// `∂loss/∂value` for each value, row-major, as collected after the last backward pass.
    public var gradients: [Double]

    /// Creates a parameter of `shape` holding `values`.
    public init(shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "A parameter of shape \(shape) holds \(shape.reduce(1, *)) values; got \(values.count).")
        self.shape = shape
        self.values = values
        self.gradients = Array(repeating: 0, count: values.count)
    }

    /// Creates a parameter of `shape` with values uniform in `±bound`, drawn in row-major order.
    public convenience init(shape: [Int], uniformBound bound: Double, generator: inout RandomGenerator) {
        let count = shape.reduce(1, *)
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(generator.uniform(-bound, bound)) }
        self.init(shape: shape, values: values)
    }

    /// The number of values.
    public var count: Int { values.count }

    /// The parameter's leaves in `graph`, created on first use in the current pass.
    public func tensor(in graph: Graph) -> TensorGrad {
        graph.bind(self, shape: shape, values: values)
    }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        for index in gradients.indices { gradients[index] = 0 }
    }

    /// Adds the gradients of this parameter's leaves in `graph`, if it was used there.
    public func collectGradients(from graph: Graph) {
        graph.boundTensor(for: self)?.addGradients(to: &gradients)
    }

    /// Adds the gradients of this parameter's leaves in each of `graphs` in turn (where it was
    /// used), in one pass: the same sums as `collectGradients(from:)` graph by graph.
    public func collectGradients(from graphs: ArraySlice<Graph>) {
        addGradients(of: graphs.compactMap { $0.boundTensor(for: self) }, to: &gradients)
    }
}
