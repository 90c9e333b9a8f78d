import Autograd
import Baifs

extension Loss {
    /// The graph the loss records for outputs of `width` values per sample, targets included.
    public func graphCost(outputWidth width: Int) -> GraphCost {
        switch self {
        case .meanSquaredError, .summedSquaredError:
            // Per sample: the target leaves, d = p + t·(−1); per pass: the constant −1, one dot d·d
            // over the batch, and (for the mean) its product with the constant 1/n.
            let perSample = GraphCost.leaves(width) + GraphCost.binary(width.saturatingMultiplied(by: 2))
                + GraphStatistics(scalarOperations: width.saturatingMultiplied(by: 2), backwardTerms: width.saturatingMultiplied(by: 2))
            var perPass = GraphCost.leaves(1) + GraphCost.stridedDots(1, pairs: 0, bias: false)
            if self == .meanSquaredError { perPass = perPass + GraphCost.leaves(1) + GraphCost.binary(1) }
            return GraphCost(perSample: perSample, perPass: perPass)
        case .crossEntropy:
            // Per sample: z − m (a constant and K additions), K exponentials, their sum, its log,
            // and log-sum-exp + z_y·(−1); the batch's losses summed (one input each) times 1/n.
            let perSample = GraphCost.leaves(1) + GraphCost.binary(width) + GraphCost.unary(width)
                + GraphCost.sums(1, of: width) + GraphCost.unary(1) + GraphCost.leaves(1) + GraphCost.binary(2)
                + GraphStatistics(scalarOperations: 1, backwardTerms: 1, operands: 1)
            let perPass = GraphStatistics(tapeNodes: 1, scalarOperations: -1) + GraphCost.leaves(1) + GraphCost.binary(1)
            return GraphCost(perSample: perSample, perPass: perPass)
        }
    }
}
