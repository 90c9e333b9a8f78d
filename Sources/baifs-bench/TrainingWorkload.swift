import Autograd
import Baifs
import Foundation

/// A whole training, timed per epoch: the figure that compares with a framework's training loop,
/// since it includes shuffling, batching, the optimizer and validation, not only the step.
///
/// Synthetic Gaussian features (one mean per class, unit noise), 10 classes, cross-entropy, SGD
/// with learning rate 0.05, shuffled batches, validation on a quarter as many rows every epoch;
/// `benchmarks/peers.py --training` runs the same loop in PyTorch.
struct TrainingWorkload: Sendable {
    let name: String
    let sampleShape: [Int]
    let trainingRows: Int
    let batch: Int
    let makeModel: @Sendable (inout RandomGenerator) -> any Module

    static let epochs = 5

    /// The workloads of the scale table in BENCHMARKS.md.
    static let all: [TrainingWorkload] = [
        TrainingWorkload(name: "train/mlp-64x32", sampleShape: [64], trainingRows: 1536, batch: 32) {
            MLP(sizes: [64, 32, 10], activation: .relu, generator: &$0)
        },
        TrainingWorkload(name: "train/mlp-256x128", sampleShape: [256], trainingRows: 1536, batch: 64) {
            MLP(sizes: [256, 128, 10], activation: .relu, generator: &$0)
        },
        TrainingWorkload(name: "train/mlp-784x128", sampleShape: [784], trainingRows: 1536, batch: 64) {
            MLP(sizes: [784, 128, 10], activation: .relu, generator: &$0)
        },
        TrainingWorkload(name: "train/mlp-784x512x512", sampleShape: [784], trainingRows: 768, batch: 64) {
            MLP(sizes: [784, 512, 512, 10], activation: .relu, generator: &$0)
        },
        TrainingWorkload(name: "train/cnn-16x16c8", sampleShape: [1, 16, 16], trainingRows: 768, batch: 32) {
            MicroResNet(inputShape: [1, 16, 16], stemChannels: 8, blockChannels: [8], outputs: 10, generator: &$0)
        },
        TrainingWorkload(name: "train/cnn-28x28c8", sampleShape: [1, 28, 28], trainingRows: 384, batch: 32) {
            MicroResNet(inputShape: [1, 28, 28], stemChannels: 8, blockChannels: [8], outputs: 10, generator: &$0)
        },
    ]

    /// Trains for `epochs` epochs and returns the median milliseconds per epoch after the first.
    func measure(threads: Int) throws -> (millisecondsPerEpoch: Double, epochs: [Double]) {
        var generator = RandomGenerator(seed: 1)
        let model = makeModel(&generator)
        let features = sampleShape.reduce(1, *)
        let means = (0..<(10 * features)).map { _ in generator.normal() }
        func dataset(rows: Int) -> Dataset {
            var values = [Double](), labels = [Int]()
            values.reserveCapacity(rows * features)
            for _ in 0..<rows {
                let label = generator.nextInt(below: 10)
                labels.append(label)
                for feature in 0..<features { values.append(means[label * features + feature] + generator.normal()) }
            }
            return Dataset(sampleShape: sampleShape, features: values, targets: .classes(labels: labels, classCount: 10))
        }
        let training = dataset(rows: trainingRows), validation = dataset(rows: trainingRows / 4)
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: SGD(learningRate: 0.05),
                            configuration: TrainingConfiguration(epochs: Self.epochs, batchSize: batch, monitor: .validationLoss),
                            generator: generator, threads: threads)
        var marks = [DispatchTime.now().uptimeNanoseconds]
        _ = try solver.train(training: training, validation: validation) { event in
            if case .epochEnded = event { marks.append(DispatchTime.now().uptimeNanoseconds) }
            return .proceed
        }
        let epochs = zip(marks.dropFirst(), marks).map { Double($0 - $1) / 1e6 }
        let timed = epochs.dropFirst().sorted()
        return (timed[timed.count / 2], epochs)
    }
}
