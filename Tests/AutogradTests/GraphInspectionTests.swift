import Autograd
import Testing

/// `Graph.node(at:)` and `Graph.statistics(of:)`: reading a graph without changing it.
@Suite("Graph inspection")
struct GraphInspectionTests {
    @Test func nodesReportTheirOperationInputsValueAndGradient() {
        let graph = Graph()
        let a = scalar(2, in: graph), b = scalar(-3, in: graph)
        let c = a * b + a.tanh()
        c.backward()
        // Nodes: 0 a, 1 b, 2 a·b, 3 tanh a, 4 the sum.
        let product = graph.node(at: 2)
        #expect(product.operation == .multiply)
        #expect(product.inputs == [0, 1])
        #expect(product.value == -6)
        #expect(product.gradient == 1)
        let root = graph.node(at: Int(c.index))
        #expect(root.operation == .add && root.inputs == [2, 3] && root.value == c.value)
        let leaf = graph.node(at: 0)
        #expect(leaf.operation == .leaf && leaf.inputs.isEmpty && leaf.gradient == a.grad)
        #expect(graph.node(at: 3).inputs == [0])
    }

    @Test func fusedNodesListTheirPairsAndBias() {
        let graph = Graph()
        let x = tensor(shape: [1, 3], values: [1, 2, 3], in: graph)
        let weight = tensor(shape: [2, 3], values: [1, 0, -1, 2, 2, 2], in: graph)
        let bias = tensor(shape: [2], values: [0.5, -0.5], in: graph)
        let y = linear(x, weight: weight, bias: bias)
        let first = graph.node(at: Int(y.element(atFlat: 0).index))
        #expect(first.operation == .stridedDot)
        #expect(first.pairCount == 3)
        #expect(first.inputs == [0, 3, 1, 4, 2, 5])  // x[i], W[0, i]
        #expect(first.bias == 9)
        #expect(first.value == 1 - 3 + 0.5)

        let sum = y.sum()
        let node = graph.node(at: Int(sum.index))
        #expect(node.operation == .sum && node.inputs == [Int(y.element(atFlat: 0).index), Int(y.element(atFlat: 1).index)])
    }

    @Test func convolutionWindowsListTheKernelAndInputPairsInsideTheInput() {
        let graph = Graph()
        let x = tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4], in: graph)
        let weight = tensor(shape: [1, 1, 2, 2], values: [1, 1, 1, 1], in: graph)
        let y = conv2d(x, weight: weight, padding: 1)  // 3×3 windows, the corners see one pixel
        let corner = graph.node(at: Int(y.element(atFlat: 0).index))
        #expect(corner.operation == .convolutionDot)
        #expect(corner.inputs == [7, 0])  // W[1, 1]·x[0, 0]
        #expect(corner.value == 1)
        let centre = graph.node(at: Int(y.element(atFlat: 4).index))
        #expect(centre.pairCount == 4 && centre.value == 10)
    }

    @Test func statisticsAgreeWithTheScalarOperationCount() {
        let graph = Graph()
        let inputs = makeTensors(networkInputs, values: networkInputs.flatMap(\.values), in: graph)
        let loss = smallNetwork(inputs)
        let statistics = graph.statistics()
        #expect(statistics.tapeNodes == graph.nodeCount)
        #expect(statistics.scalarOperations == graph.scalarOperationCount)
        // Parts add up.
        let middle = graph.nodeCount / 2
        #expect(graph.statistics(of: 0..<middle) + graph.statistics(of: middle..<graph.nodeCount) == statistics)
        #expect(statistics.bytes >= graph.nodeCount * Graph.bytesPerNode)
        _ = loss
    }

    @Test func backwardTermsCountEachGradientContribution() {
        let graph = Graph()
        let a = scalar(1, in: graph), b = scalar(2, in: graph)
        _ = (a * b).tanh() + sum([a, b, a])
        let statistics = graph.statistics()
        // multiply 2, tanh 1, sum of 3 inputs 3, add 2.
        #expect(statistics.backwardTerms == 8)
        #expect(statistics.operands == 3)
        #expect(GraphStatistics(tapeNodes: 2) * 3 == GraphStatistics(tapeNodes: 6))
    }
}
