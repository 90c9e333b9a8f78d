@testable import Baifs
import Synchronization
import Testing

struct ElementBlocksTests {
    static let counts = [0, 1, ElementBlocks.blockSize, ElementBlocks.blockSize + 1, 40_000, 3]

    @Test(arguments: [1, 2, 3])
    func everyElementOfEveryParameterIsVisitedOnceInBlocks(threads: Int) {
        let blocks = threads == 1 ? ElementBlocks.serial : ElementBlocks(pool: WorkerPool(workerCount: threads - 1), threads: threads)
        // How often each element was visited, and how many blocks there were.
        let visits = Mutex((elements: Self.counts.map { [Int](repeating: 0, count: $0) }, blocks: 0))
        blocks.forEachBlock(counts: Self.counts) { parameter, elements in
            #expect(elements.count <= ElementBlocks.blockSize && !elements.isEmpty)
            #expect(elements.lowerBound % ElementBlocks.blockSize == 0)
            visits.withLock { visits in
                for element in elements { visits.elements[parameter][element] += 1 }
                visits.blocks += 1
            }
        }
        visits.withLock { visits in
            #expect(visits.elements.allSatisfy { $0.allSatisfy { $0 == 1 } })
            #expect(visits.blocks == 0 + 1 + 1 + 2 + 3 + 1)
        }
    }

    /// The values after three steps of `update` on parameters of several blocks each, with
    /// gradients that change every step.
    func trainedValues(_ update: ([Parameter]) -> Void) -> [[UInt64]] {
        var generator = RandomGenerator(seed: 5)
        let parameters = [40_000, 7, ElementBlocks.blockSize + 3].map {
            Parameter(shape: [$0], uniformBound: 1, generator: &generator)
        }
        for step in 0..<3 {
            for parameter in parameters {
                parameter.gradients = parameter.values.map { $0 * Double(step + 1) + generator.uniform(-0.5, 0.5) }
            }
            update(parameters)
        }
        return parameters.map { $0.values.map(\.bitPattern) }
    }

    @Test func optimizersGiveTheSameBitsOnOneThreadOrSeveral() {
        let parallel = ElementBlocks(pool: WorkerPool(workerCount: 2), threads: 3)
        func compare(_ make: () -> some Optimizer) {
            var plainOptimizer = make(), serialOptimizer = make(), parallelOptimizer = make()
            let plain = trainedValues { plainOptimizer.update($0) }
            #expect(trainedValues { serialOptimizer.update($0, blocks: .serial) } == plain)
            #expect(trainedValues { parallelOptimizer.update($0, blocks: parallel) } == plain)
            #expect(parallelOptimizer.state == plainOptimizer.state)
        }
        compare { SGD(learningRate: 0.1, weightDecay: 0.01) }
        compare { SGD(learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01) }
        compare { Adam(learningRate: 0.01, weightDecay: 0.01) }
        compare { AdamW(learningRate: 0.01) }
    }

    @Test func clippingGivesTheSameBitsOnOneThreadOrSeveral() {
        let parallel = ElementBlocks(pool: WorkerPool(workerCount: 1), threads: 2)
        for clipping in [GradientClipping.none, .byValue(0.3), .byNorm(2)] {
            var norms: [Double] = []
            let serial = trainedValues { parameters in norms.append(clipping.apply(to: parameters)); SGDStep.apply(parameters) }
            var parallelNorms: [Double] = []
            let shared = trainedValues { parameters in
                parallelNorms.append(clipping.apply(to: parameters, blocks: parallel))
                SGDStep.apply(parameters)
            }
            #expect(shared == serial, "\(clipping)")
            #expect(parallelNorms.map(\.bitPattern) == norms.map(\.bitPattern), "\(clipping)")
        }
    }

    @Test func theNormAddsBlocksOfEightLanesInOrder() {
        // One parameter of two blocks and a tail, another of three elements.
        let first = Parameter(shape: [ElementBlocks.blockSize + 11], values: Array(repeating: 0, count: ElementBlocks.blockSize + 11))
        let second = Parameter(shape: [3], values: [0, 0, 0])
        first.gradients = (0..<first.count).map { 1 / Double($0 + 1) }
        second.gradients = [1e-3, 3, -7]
        func lanes(_ values: ArraySlice<Double>) -> Double {
            let whole = values.count - values.count % 8
            var lanes = [Double](repeating: 0, count: 8)
            for (offset, value) in values.prefix(whole).enumerated() { lanes[offset % 8] += value * value }
            var sum = 0.0
            for lane in lanes { sum += lane }
            for value in values.dropFirst(whole) { sum += value * value }
            return sum
        }
        var total = 0.0
        total += lanes(first.gradients[0..<ElementBlocks.blockSize])
        total += lanes(first.gradients[ElementBlocks.blockSize...])
        total += lanes(second.gradients[...])
        #expect(gradientNorm([first, second]).bitPattern == total.squareRoot().bitPattern)
    }
}

/// A plain SGD step after clipping, so that the clipped gradients show in the values.
private enum SGDStep {
    static func apply(_ parameters: [Parameter]) {
        for parameter in parameters {
            for index in parameter.values.indices { parameter.values[index] -= 0.1 * parameter.gradients[index] }
        }
    }
}
