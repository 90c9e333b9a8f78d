import Autograd

/// The graph that a part of a model records in one forward pass, computed from shapes alone:
/// the nodes each sample adds, and those added once per pass whatever the batch size
/// (parameter leaves, shared constants).
///
/// A pass over `n` samples records `perPass + n · perSample`. These counts follow the engine's
/// operations node for node; a test checks them against recorded graphs.
public struct GraphCost: Sendable, Equatable {
    /// What each sample adds.
    public var perSample: GraphStatistics
    /// What the pass adds once.
    public var perPass: GraphStatistics

    /// The cost of `perSample` per sample and `perPass` once (none by default).
    init(perSample: GraphStatistics = GraphStatistics(), perPass: GraphStatistics = GraphStatistics()) {
        self.perSample = perSample
        self.perPass = perPass
    }

    /// The counts of a pass over `samples` samples.
    public func batch(_ samples: Int) -> GraphStatistics {
        perPass + perSample * samples
    }

    /// Both parts' counts together.
    public static func + (lhs: GraphCost, rhs: GraphCost) -> GraphCost {
        GraphCost(perSample: lhs.perSample + rhs.perSample, perPass: lhs.perPass + rhs.perPass)
    }

    /// Adds `rhs`'s counts to `lhs`'s.
    static func += (lhs: inout GraphCost, rhs: GraphCost) { lhs = lhs + rhs }

    // MARK: - The engine's operations

    // Counts from a config's sizes may not fit in `Int`; they saturate at `Int.max`.

    /// `count` leaves.
    static func leaves(_ count: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: count, scalarOperations: count)
    }

    /// `count` unary operations (`tanh`, `relu`, `exp`, …).
    static func unary(_ count: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: count, scalarOperations: count, backwardTerms: count)
    }

    /// `count` additions or multiplications.
    static func binary(_ count: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: count, scalarOperations: count, backwardTerms: count.saturatingMultiplied(by: 2))
    }

    /// `count` sums of `inputs` nodes each.
    static func sums(_ count: Int, of inputs: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: count, scalarOperations: count.saturatingMultiplied(by: inputs - 1),
                        backwardTerms: count.saturatingMultiplied(by: inputs), operands: count.saturatingMultiplied(by: inputs))
    }

    /// `count` maxima of `inputs` nodes each.
    static func maxima(_ count: Int, of inputs: Int) -> GraphStatistics {
        GraphStatistics(tapeNodes: count, scalarOperations: count.saturatingMultiplied(by: inputs - 1), backwardTerms: count,
                        operands: count.saturatingMultiplied(by: inputs))
    }

    /// `count` strided dot products of `pairs` pairs each, with a bias or not.
    static func stridedDots(_ count: Int, pairs: Int, bias: Bool) -> GraphStatistics {
        let hasBias = bias ? 1 : 0
        let twicePairs = pairs.saturatingMultiplied(by: 2)
        return GraphStatistics(tapeNodes: count, scalarOperations: count.saturatingMultiplied(by: twicePairs.saturatingAdding(hasBias - 1)),
                               backwardTerms: count.saturatingMultiplied(by: twicePairs.saturatingAdding(hasBias)), stridedDots: count)
    }

    /// `count` convolution-window dot products of `pairs` pairs in all, with a bias or not.
    static func convolutionDots(_ count: Int, totalPairs pairs: Int, bias: Bool) -> GraphStatistics {
        let hasBias = bias ? 1 : 0
        let twicePairs = pairs.saturatingMultiplied(by: 2)
        return GraphStatistics(tapeNodes: count, scalarOperations: twicePairs.saturatingAdding(count.saturatingMultiplied(by: hasBias - 1)),
                               backwardTerms: twicePairs.saturatingAdding(count.saturatingMultiplied(by: hasBias)), convolutionWindows: count)
    }
}
