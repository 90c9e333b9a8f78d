/// One node of a graph as a value, for drawing and inspecting a graph: what it computes, from
/// which nodes, its value and, after a backward pass, its gradient.
public struct GraphNode: Sendable, Equatable {
    /// The node's position on the tape (its creation order).
    public let index: Int
    /// What the node computes.
    public let operation: Operation
    /// The nodes it is computed from, in the operation's order: `a, b` for a binary operation,
    /// `base, exponent` for a power, the reduced nodes for a sum or maximum, and the pairs
    /// `a₀, b₀, a₁, b₁, …` of a dot product (kernel weight, then input, for a convolution window).
    public let inputs: [Int]
    /// The bias node added to a dot product, if it has one.
    public let bias: Int?
    /// The value computed in the forward pass.
    public let value: Double
    /// `∂root/∂node` from the last backward pass (0 before one).
    public let gradient: Double

    /// The number of products of a dot product (0 for other operations).
    public var pairCount: Int {
        switch operation {
        case .stridedDot, .gatheredDot, .convolutionDot: inputs.count / 2
        default: 0
        }
    }
}
