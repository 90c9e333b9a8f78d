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
    /// strided-dot or convolution-window record per record (`Int.max` if that overflows).
    public var bytes: Int {
        [tapeNodes.saturatingMultiplied(by: Graph.bytesPerNode), operands.saturatingMultiplied(by: Graph.bytesPerOperand),
         stridedDots.saturatingMultiplied(by: Graph.bytesPerStridedDot),
         convolutionWindows.saturatingMultiplied(by: Graph.bytesPerConvolutionWindow)].saturatingSum
    }

    // The counts of graphs planned from a config's sizes may not fit in `Int`: they saturate
    // (see `Int.saturatingAdding(_:)`), and a saturated count is more than any memory holds.

    /// The counts of both parts together.
    public static func + (lhs: GraphStatistics, rhs: GraphStatistics) -> GraphStatistics {
        GraphStatistics(tapeNodes: lhs.tapeNodes.saturatingAdding(rhs.tapeNodes),
                        scalarOperations: lhs.scalarOperations.saturatingAdding(rhs.scalarOperations),
                        backwardTerms: lhs.backwardTerms.saturatingAdding(rhs.backwardTerms),
                        operands: lhs.operands.saturatingAdding(rhs.operands),
                        stridedDots: lhs.stridedDots.saturatingAdding(rhs.stridedDots),
                        convolutionWindows: lhs.convolutionWindows.saturatingAdding(rhs.convolutionWindows))
    }

    /// Each count multiplied by `factor` (the counts of `factor` samples from those of one).
    public static func * (lhs: GraphStatistics, factor: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: lhs.tapeNodes.saturatingMultiplied(by: factor),
                        scalarOperations: lhs.scalarOperations.saturatingMultiplied(by: factor),
                        backwardTerms: lhs.backwardTerms.saturatingMultiplied(by: factor),
                        operands: lhs.operands.saturatingMultiplied(by: factor),
                        stridedDots: lhs.stridedDots.saturatingMultiplied(by: factor),
                        convolutionWindows: lhs.convolutionWindows.saturatingMultiplied(by: factor))
    }

    /// Adds `rhs`'s counts to `lhs`'s.
    public static func += (lhs: inout GraphStatistics, rhs: GraphStatistics) { lhs = lhs + rhs }
}
