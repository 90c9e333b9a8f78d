/// Counts of a part of a graph: its nodes, the scalar operations they stand for, the work of the
/// backward pass over them, and the tape memory they take.
public struct GraphStatistics: Sendable, Equatable {
    /// Nodes on the tape.
    public var tapeNodes = 0
    /// The same part counted as micrograd would build it (see `Graph.scalarOperationCount`).
    public var scalarOperations = 0
    /// The gradient contributions the backward pass adds up: one per input of an add, multiply,
    /// power or unary function (2, 2, 1, 1), n for a sum of n, 1 for a maximum, and 2n (+ 1 with a
    /// bias) for a dot product of n pairs. Leaves contribute none.
    public var backwardTerms = 0
    /// Entries of the tape's operand list (inputs of sums, maxima and gathered dot products).
    public var operands = 0
    /// Records of strided dot products.
    public var stridedDots = 0
    /// Records of convolution windows.
    public var convolutionWindows = 0

    /// Creates the counts; see the properties.
    public init(tapeNodes: Int = 0, scalarOperations: Int = 0, backwardTerms: Int = 0, operands: Int = 0,
                stridedDots: Int = 0, convolutionWindows: Int = 0) {
        self.tapeNodes = tapeNodes
        self.scalarOperations = scalarOperations
        self.backwardTerms = backwardTerms
        self.operands = operands
        self.stridedDots = stridedDots
        self.convolutionWindows = convolutionWindows
    }

    /// The bytes these nodes take on the tape: `Graph.bytesPerNode` per node (value, gradient,
    /// operation, two input indices), `Graph.bytesPerOperand` per operand, and the size of a
    /// strided-dot or convolution-window record per record.
    public var bytes: Int {
        tapeNodes * Graph.bytesPerNode + operands * Graph.bytesPerOperand
            + stridedDots * Graph.bytesPerStridedDot + convolutionWindows * Graph.bytesPerConvolutionWindow
    }

    /// The counts of both parts together.
    public static func + (lhs: GraphStatistics, rhs: GraphStatistics) -> GraphStatistics {
        GraphStatistics(tapeNodes: lhs.tapeNodes + rhs.tapeNodes, scalarOperations: lhs.scalarOperations + rhs.scalarOperations,
                        backwardTerms: lhs.backwardTerms + rhs.backwardTerms, operands: lhs.operands + rhs.operands,
                        stridedDots: lhs.stridedDots + rhs.stridedDots,
                        convolutionWindows: lhs.convolutionWindows + rhs.convolutionWindows)
    }

    /// Each count multiplied by `factor` (the counts of `factor` samples from those of one).
    public static func * (lhs: GraphStatistics, factor: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: lhs.tapeNodes * factor, scalarOperations: lhs.scalarOperations * factor,
                        backwardTerms: lhs.backwardTerms * factor, operands: lhs.operands * factor,
                        stridedDots: lhs.stridedDots * factor, convolutionWindows: lhs.convolutionWindows * factor)
    }

    /// Adds `rhs`'s counts to `lhs`'s.
    public static func += (lhs: inout GraphStatistics, rhs: GraphStatistics) { lhs = lhs + rhs }
}
