import Baifs
import TestSupport
import Testing

/// scikit-learn's 8×8 handwritten digits (1,797 images, `experiments/data/digits`), a real data
/// set: the same images as `.npy` arrays train an MLP, and as IDX files a MicroResNet.
struct DigitsTrainingTests {
    static let folder = "\(Fixtures.examplesFolder)/data/digits"

    @Test func mlpOnTheNPYArraysReaches97PercentValidationAccuracy() throws {
        var generator = RandomGenerator(seed: 1)
        let data = try ArrayDataset(features: .npy("\(Self.folder)/digits-features.npy"), targets: .npy("\(Self.folder)/digits-targets.npy"),
                                    options: .init(validationFraction: 0.2, scale: 1.0 / 16), generator: &generator)
        #expect(data.classes == .indices(count: 10))
        #expect((data.training.count, data.validation.count) == (1438, 359))
        let model = MLP(sizes: [64, 32, 10], activation: .relu, generator: &generator)
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.01),
                            configuration: TrainingConfiguration(epochs: 12, batchSize: 32, monitor: .validationAccuracy),
                            generator: generator)
        _ = try solver.train(training: data.training, validation: data.validation)
        let accuracy = try #require(solver.bestMetrics?.validationAccuracy)
        #expect(accuracy >= 0.97)
    }

    @Test func microResNetOnTheIDXImagesReaches97PercentValidationAccuracy() throws {
        var generator = RandomGenerator(seed: 1)
        let data = try ArrayDataset(features: .idx("\(Self.folder)/digits-images-idx3-ubyte.gz", images: true),
                                    targets: .idx("\(Self.folder)/digits-labels-idx1-ubyte.gz", images: false),
                                    options: .init(validationFraction: 0.2, scale: 1.0 / 16), generator: &generator)
        #expect(data.training.sampleShape == [1, 8, 8])
        let model = MicroResNet(inputShape: [1, 8, 8], stemChannels: 4, blockChannels: [4], reduction: .flatten,
                                outputs: 10, generator: &generator)
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.01),
                            configuration: TrainingConfiguration(epochs: 6, batchSize: 32, monitor: .validationAccuracy),
                            generator: generator, threads: 2)
        _ = try solver.train(training: data.training, validation: data.validation)
        let accuracy = try #require(solver.bestMetrics?.validationAccuracy)
        #expect(accuracy >= 0.97)
    }
}
