import Autograd
import Baifs
import TestSupport
import Testing

struct BatchGradientsTests {
    func smallResNet(seed: UInt64) -> (any Module, Dataset) {
        var generator = RandomGenerator(seed: seed)
        let data = Dataset.bars(count: 40, generator: &generator)
        let model = MicroResNet(inputShape: [1, 8, 8], stemChannels: 2, blockChannels: [2], outputs: 4, generator: &generator)
        return (model, data)
    }

    @Test func chunkedGradientsEqualTheWholeBatchGradient() {
        let (model, data) = smallResNet(seed: 1)
        let batch = data.subset(Array(0..<19))  // three chunks, the last one short
        let result = BatchGradients(model: model, loss: .crossEntropy).compute(batch, differentiate: true)
        let chunked = model.parameters.map(\.gradients)

        // The same loss on one graph of the whole batch.
        let graph = Graph()
        let outputs = model(tensor(shape: [batch.count] + batch.sampleShape, values: batch.features, in: graph))
        let whole = Loss.crossEntropy(outputs: outputs, targets: batch.targets)
        whole.backward()
        model.zeroGradients()
        model.collectGradients(from: graph)
        #expect(isApproximatelyEqual(result.loss, whole.value, relative: 1e-13))
        for (chunkedGradient, parameter) in zip(chunked, model.parameters) {
            #expect(zip(chunkedGradient, parameter.gradients).allSatisfy { isApproximatelyEqual($0, $1, relative: 1e-10, absolute: 1e-14) })
        }
    }

    @Test(arguments: [2, 3, 8])
    func resultsAreBitIdenticalWhateverTheNumberOfThreads(threads: Int) throws {
        func train(threads: Int) throws -> [[UInt64]] {
            var (model, data) = smallResNet(seed: 2)
            data = data.subset(Array(0..<40))
            var generator = RandomGenerator(seed: 3)
            let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.01),
                                configuration: TrainingConfiguration(epochs: 2, batchSize: 32, monitor: .trainLoss),
                                generator: generator, threads: threads)
            solver.batchGradients.parallelThreshold = 0
            _ = try solver.train(training: data, validation: nil)
            _ = generator.next()
            return model.parameters.map { $0.values.map(\.bitPattern) }
        }
        #expect(try train(threads: threads) == (try train(threads: 1)))
    }

    @Test func evaluationSumsPerSampleLossesWithSamplesOne() {
        let (model, data) = smallResNet(seed: 4)
        let batch = data.subset(Array(0..<10))
        let sum = BatchGradients(model: model, loss: .crossEntropy).compute(batch, samples: 1, differentiate: false).loss
        let mean = BatchGradients(model: model, loss: .crossEntropy).compute(batch, differentiate: false).loss
        #expect(isApproximatelyEqual(sum / 10, mean, relative: 1e-13))
    }
}
