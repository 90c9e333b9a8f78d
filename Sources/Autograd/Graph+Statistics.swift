extension Graph {
    /// The size of the graph counted as micrograd would build it, one node per scalar value:
    /// a leaf, a unary or binary operation count 1; a sum or maximum of n inputs counts n − 1;
    /// a dot product of n pairs counts 2n − 1 (n products, n − 1 sums), plus 1 with a bias.
    /// This is the "graph nodes" figure that benchmarks divide by, so that fused nodes do not
    /// make the engine look slower per node than it is.
    public var scalarOperationCount: Int {
        let tape = self.tape.pointee
        var total = 0
        for node in 0..<tape.count {
            switch tape.operations.base[node] {
            case .sum, .maximum:
                total += Int(tape.secondInputs.base[node]) - 1
            case .stridedDot:
                let dot = tape.dot(ofNode: node)
                total += 2 * Int(dot.count) - 1 + (dot.bias >= 0 ? 1 : 0)
            case .convolutionDot:
                let window = tape.window(ofNode: node)
                total += 2 * window.termCount - 1 + (window.bias >= 0 ? 1 : 0)
            case .gatheredDot:
                let first = Int(tape.firstInputs.base[node])
                total += 2 * Int(tape.secondInputs.base[node]) - 1 + (tape.operands.base[first] >= 0 ? 1 : 0)
            default:
                total += 1
            }
        }
        return total
    }
}
