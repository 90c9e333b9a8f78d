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
}
