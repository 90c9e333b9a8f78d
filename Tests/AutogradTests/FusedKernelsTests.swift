import Autograd
import Testing

/// The fused kernels must compute exactly what the node-by-node rules compute, with every
/// instruction set: the same bits in every value and every gradient, and the same graph.
@Suite(.serialized)
struct FusedKernelsTests {
    /// Everything a pass produced, as bit patterns, plus the graph's counts.
    struct Outcome: Equatable {
        var values: [UInt64]
        var gradients: [UInt64]
        var statistics: GraphStatistics
        var nodes: [GraphNode]
    }

    /// Runs `build` on a fresh graph (with or without kernels, on one instruction set) and
    /// differentiates the scalar it returns.
    func run(kernels: Bool, instructionSet: FusedKernels.InstructionSet = .portable, inspect: Bool = true,
             _ build: (Graph) -> ScalarGrad) -> Outcome {
        let (wasEnabled, previousSet, previousMinimum) = (FusedKernels.isEnabled, FusedKernels.instructionSet, FusedKernels.minimumProducts)
        FusedKernels.isEnabled = kernels
        FusedKernels.instructionSet = instructionSet
        FusedKernels.minimumProducts = 0  // every layer through a kernel, however small
        defer {
            FusedKernels.isEnabled = wasEnabled
            FusedKernels.instructionSet = previousSet
            FusedKernels.minimumProducts = previousMinimum
        }
        let graph = Graph()
        let root = build(graph)
        root.backward()
        let count = graph.nodeCount
        return Outcome(values: (0..<count).map { graph.node(at: $0).value.bitPattern },
                       gradients: (0..<count).map { graph.node(at: $0).gradient.bitPattern },
                       statistics: graph.statistics(),
                       nodes: inspect ? (0..<count).map { graph.node(at: $0) } : [])
    }

    /// Values in ±1 from a fixed sequence, with some exact zeros.
    func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state % 11 == 0 ? 0 : Double(Int64(bitPattern: state >> 11) % 1_000_003) / 1_000_003
        }
    }

    /// The first node whose bits differ, if any (a short message instead of two long arrays).
    func firstDifference(_ a: [UInt64], _ b: [UInt64]) -> Int? {
        a.count != b.count ? min(a.count, b.count) : a.indices.first { a[$0] != b[$0] }
    }

    /// Checks one graph with kernels against the node-by-node rules, on every instruction set.
    func expectSameEverywhere(_ build: (Graph) -> ScalarGrad) {
        let reference = run(kernels: false, build)
        for instructionSet in FusedKernels.InstructionSet.allCases {
            let fused = run(kernels: true, instructionSet: instructionSet, build)
            #expect(firstDifference(fused.values, reference.values) == nil, "values with \(instructionSet)")
            #expect(firstDifference(fused.gradients, reference.gradients) == nil, "gradients with \(instructionSet)")
            #expect(fused.statistics == reference.statistics)
            let sameNodes = fused.nodes == reference.nodes
            #expect(sameNodes, "node descriptions with \(instructionSet)")
        }
    }

    @Test(arguments: [(1, 3, 2), (5, 9, 4), (8, 33, 7), (13, 70, 12), (9, 8, 1), (37, 40, 9), (32, 130, 6)])
    func linearLayersMatchTheNodeByNodeRules(batch: Int, inputs: Int, outputs: Int) {
        expectSameEverywhere { graph in
            let x = tensor(shape: [batch, inputs], values: values(batch * inputs, seed: 1), in: graph)
            let w = tensor(shape: [outputs, inputs], values: values(outputs * inputs, seed: 2), in: graph)
            let b = tensor(shape: [outputs], values: values(outputs, seed: 3), in: graph)
            let w2 = tensor(shape: [3, outputs], values: values(3 * outputs, seed: 4), in: graph)
            // ReLU leaves zero gradients that the kernels must skip as the rules do.
            let hidden = linear(x, weight: w, bias: b).relu()
            let y = linear(hidden, weight: w2)
            return (y * y).sum()
        }
    }

    @Test(arguments: [(2, 1, 5, 7, 3, 3, 1), (3, 2, 8, 8, 4, 3, 1), (1, 3, 6, 11, 2, 1, 0), (2, 2, 9, 10, 3, 5, 2), (9, 1, 4, 4, 2, 3, 0)])
    func convolutionsMatchTheNodeByNodeRules(batch: Int, channels: Int, height: Int, width: Int, outputs: Int,
                                             kernel: Int, padding: Int) {
        expectSameEverywhere { graph in
            let x = tensor(shape: [batch, channels, height, width], values: values(batch * channels * height * width, seed: 5), in: graph)
            let w = tensor(shape: [outputs, channels, kernel, kernel], values: values(outputs * channels * kernel * kernel, seed: 6), in: graph)
            let b = tensor(shape: [outputs], values: values(outputs, seed: 7), in: graph)
            let w2 = tensor(shape: [outputs, outputs, 3, 3], values: values(outputs * outputs * 9, seed: 8), in: graph)
            let hidden = conv2d(x, weight: w, bias: b, padding: padding).relu()
            let y = conv2d(hidden, weight: w2, padding: 1)
            return (y * y).sum()
        }
    }

    @Test func constantInputsGetNoGradientAndTheRestIsUnchanged() {
        func build(constant: Bool) -> (Graph) -> ScalarGrad {
            { graph in
                let data = values(3 * 2 * 6 * 6, seed: 9)
                let x = constant ? constantTensor(shape: [3, 2, 6, 6], values: data, in: graph)
                                 : tensor(shape: [3, 2, 6, 6], values: data, in: graph)
                let w = tensor(shape: [2, 2, 3, 3], values: values(36, seed: 10), in: graph)
                let v = tensor(shape: [4, 72], values: values(288, seed: 11), in: graph)
                let h = conv2d(x, weight: w, padding: 1).relu().reshaped([3, 72])
                let y = linear(h, weight: v)
                return (y * y).sum()
            }
        }
        let inputs = 3 * 2 * 6 * 6
        for kernels in [false, true] {
            let variable = run(kernels: kernels, inspect: false, build(constant: false))
            let constant = run(kernels: kernels, inspect: false, build(constant: true))
            #expect(constant.values == variable.values)
            #expect(constant.gradients[..<inputs].allSatisfy { $0 == 0 })
            #expect(variable.gradients[..<inputs].contains { $0 != 0 })
            #expect(constant.gradients[inputs...] == variable.gradients[inputs...])
        }
    }

    @Test func elementwiseRunsMatchTheNodeByNodeRules() {
        expectSameEverywhere { graph in
            let x = tensor(shape: [10, 20], values: values(200, seed: 13), in: graph)
            let y = tensor(shape: [10, 20], values: values(200, seed: 14), in: graph)
            // An add of two ranges, of one range with itself, ReLU (with inputs ≤ 0), tanh.
            let h = ((x + y).relu() + x.tanh()).tanh()
            let z = (h + h).relu()
            return (z * y).sum()
        }
    }

    @Test func anInfiniteWeightBehindAZeroGradientLeavesFiniteInputGradients() throws {
        // ReLU turns the row of −∞ outputs into zeros whose gradient is zero: the rules skip those
        // nodes, so no 0·(−∞) reaches the input gradients, with kernels (whose vector path must
        // notice the weight and fall back) or without.
        let build: (Graph) -> ScalarGrad = { graph in
            let x = tensor(shape: [33, 8], values: values(264, seed: 15).map { abs($0) + 0.1 }, in: graph)
            var weights = values(24, seed: 16)
            weights[2] = -.infinity
            let w = tensor(shape: [3, 8], values: weights, in: graph)
            let y = linear(x, weight: w).relu()
            return (y * y).sum()
        }
        expectSameEverywhere(build)
        let outcome = run(kernels: true, instructionSet: FusedKernels.InstructionSet.allCases.last!, build)
        #expect(outcome.gradients[..<264].allSatisfy { Double(bitPattern: $0).isFinite })
    }

    @Test func aLayerWhoseInputIsItsWeightRunsNodeByNode() {
        // Overlapping operands cannot share a kernel; the result is still the rules' one.
        expectSameEverywhere { graph in
            let w = tensor(shape: [4, 4], values: values(16, seed: 12), in: graph)
            let y = linear(w, weight: w)
            return (y * y).sum()
        }
    }
}
