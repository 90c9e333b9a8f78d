extension Graph {
    /// The bytes of one node in the tape's columns: value and gradient (8 each), operation (1),
    /// first and second input (4 each).
    public static let bytesPerNode = 2 * MemoryLayout<Double>.stride + MemoryLayout<Operation>.stride + 2 * MemoryLayout<Int32>.stride
    /// The bytes of one entry of the operand list.
    public static let bytesPerOperand = MemoryLayout<Int32>.stride
    /// The bytes of one strided-dot record.
    public static let bytesPerStridedDot = MemoryLayout<StridedDot>.stride
    /// The bytes of one convolution-window record.
    public static let bytesPerConvolutionWindow = MemoryLayout<ConvolutionWindow>.stride

    /// Node `index` as a value: its operation, inputs, value and gradient.
    public func node(at index: Int) -> GraphNode {
        let tape = self.tape.pointee
        precondition(index >= 0 && index < tape.count, "Node \(index) is out of range for a graph of \(tape.count) nodes.")
        let first = Int(tape.firstInputs.base[index])
        let second = Int(tape.secondInputs.base[index])
        let operation = tape.operations.base[index]
        var inputs: [Int] = []
        var bias: Int?
        switch operation {
        case .leaf:
            break
        case .add, .multiply, .power:
            inputs = [first, second]
        case .exp, .log, .tanh, .relu, .sigmoid:
            inputs = [first]
        case .sum, .maximum:
            inputs = (first..<(first + second)).map { Int(tape.operands.base[$0]) }
        case .stridedDot:
            let dot = tape.dot(ofNode: index)
            for term in 0..<Int(dot.count) {
                inputs.append(Int(dot.first) + term * Int(dot.firstStride))
                inputs.append(Int(dot.second) + term * Int(dot.secondStride))
            }
            bias = dot.bias >= 0 ? Int(dot.bias) : nil
        case .gatheredDot:
            inputs = (0..<(2 * second)).map { Int(tape.operands.base[first + 1 + $0]) }
            let biasNode = Int(tape.operands.base[first])
            bias = biasNode >= 0 ? biasNode : nil
        case .convolutionDot:
            let window = tape.window(ofNode: index)
            for channel in 0..<Int(window.channels) {
                for row in 0..<Int(window.rows) {
                    for column in 0..<Int(window.columns) {
                        inputs.append(Int(window.weight) + channel * Int(window.weightPlaneStride) + row * Int(window.weightRowStride) + column)
                        inputs.append(Int(window.input) + channel * Int(window.inputPlaneStride) + row * Int(window.inputRowStride) + column)
                    }
                }
            }
            bias = window.bias >= 0 ? Int(window.bias) : nil
        }
        return GraphNode(index: index, operation: operation, inputs: inputs, bias: bias,
                         value: tape.values.base[index], gradient: tape.gradients.base[index])
    }

    /// The counts of the nodes in `range` (all nodes by default).
    public func statistics(of range: Range<Int>? = nil) -> GraphStatistics {
        let tape = self.tape.pointee
        let range = range ?? 0..<tape.count
        precondition(range.lowerBound >= 0 && range.upperBound <= tape.count,
                     "Nodes \(range) are out of range for a graph of \(tape.count) nodes.")
        var result = GraphStatistics()
        for node in range {
            let first = Int(tape.firstInputs.base[node])
            let second = Int(tape.secondInputs.base[node])
            result.tapeNodes += 1
            switch tape.operations.base[node] {
            case .leaf:
                result.scalarOperations += 1
            case .add, .multiply:
                result.scalarOperations += 1
                result.backwardTerms += 2
            case .power, .exp, .log, .tanh, .relu, .sigmoid:
                result.scalarOperations += 1
                result.backwardTerms += 1
            case .sum:
                result.scalarOperations += second - 1
                result.backwardTerms += second
                result.operands += second
            case .maximum:
                result.scalarOperations += second - 1
                result.backwardTerms += 1
                result.operands += second
            case .stridedDot:
                let dot = tape.dot(ofNode: node)
                let hasBias = dot.bias >= 0 ? 1 : 0
                result.scalarOperations += 2 * Int(dot.count) - 1 + hasBias
                result.backwardTerms += 2 * Int(dot.count) + hasBias
                result.stridedDots += 1
            case .gatheredDot:
                let hasBias = tape.operands.base[first] >= 0 ? 1 : 0
                result.scalarOperations += 2 * second - 1 + hasBias
                result.backwardTerms += 2 * second + hasBias
                result.operands += 1 + 2 * second
            case .convolutionDot:
                let window = tape.window(ofNode: node)
                let hasBias = window.bias >= 0 ? 1 : 0
                result.scalarOperations += 2 * window.termCount - 1 + hasBias
                result.backwardTerms += 2 * window.termCount + hasBias
                result.convolutionWindows += 1
            }
        }
        return result
    }
}
