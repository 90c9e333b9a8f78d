import Autograd
import Baifs
import Foundation
import Testing
import TestSupport

/// Full-batch trainings replayed against PyTorch float64: the same initial parameters, data, loss
/// and SGD steps as `benchmarks/pytorch_trace.py` recorded in `Fixtures/pytorch-float64-trace.json`.
/// baifs sums in its own (fixed) order, PyTorch in its own, so the two agree to rounding: a few
/// units in the last place of each sum.
struct PyTorchTraceTests {
    struct Trace: Decodable {
        var problems: [Problem]
    }

    struct Problem: Decodable {
        var name: String
        var loss: String
        var learning_rate: Double
        var steps: Int
        var input_shape: [Int]
        var classes: Int?
        var inputs: [Double]
        var targets: [Double]
        var initial_parameters: [[Double]]
        var losses: [Double]
        var first_gradients: [[Double]]
        var final_parameters: [[Double]]
    }

    static let problems: [Problem] = {
        let path = "\(Fixtures.folder)/pytorch-float64-trace.json"
        guard let data = FileManager.default.contents(atPath: path),
              let trace = try? JSONDecoder().decode(Trace.self, from: data) else { return [] }
        return trace.problems
    }()

    /// The model of a problem with PyTorch's initial parameters, its dataset and loss.
    func setUp(_ problem: Problem) throws -> (any Module, Dataset, Loss) {
        var generator = RandomGenerator(seed: 1)
        let model: any Module = problem.name == "mlp"
            ? MLP(sizes: [12, 16, 4], activation: .relu, generator: &generator)
            : MicroResNet(inputShape: [1, 6, 6], stemChannels: 3, blockChannels: [3], outputs: 4, generator: &generator)
        try #require(model.parameters.count == problem.initial_parameters.count)
        for (parameter, values) in zip(model.parameters, problem.initial_parameters) {
            try #require(parameter.count == values.count)
            parameter.values = values
        }
        let targets: Dataset.Targets = problem.loss == "cross_entropy"
            ? .classes(labels: problem.targets.map { Int($0) }, classCount: problem.classes ?? 0)
            : .values(problem.targets, width: 4)
        let dataset = Dataset(sampleShape: problem.input_shape, features: problem.inputs, targets: targets)
        return (model, dataset, problem.loss == "cross_entropy" ? .crossEntropy : .meanSquaredError)
    }

    /// ‖a − b‖ / ‖b‖ over all the values.
    func relativeError(_ a: [[Double]], _ b: [[Double]]) -> Double {
        var difference = 0.0, size = 0.0
        for (x, y) in zip(a.joined(), b.joined()) {
            difference += (x - y) * (x - y)
            size += y * y
        }
        return (difference / size).squareRoot()
    }

    @Test func theTraceIsThere() {
        #expect(Self.problems.map(\.name) == ["mlp", "cnn"])
    }

    @Test(arguments: ["mlp", "cnn"])
    func firstGradientsMatchPyTorch(name: String) throws {
        let problem = try #require(Self.problems.first { $0.name == name })
        let (model, dataset, loss) = try setUp(problem)
        let result = BatchGradients(model: model, loss: loss).compute(dataset, differentiate: true)
        #expect(abs(result.loss - problem.losses[0]) <= 1e-15 * abs(problem.losses[0]))
        let error = relativeError(model.parameters.map(\.gradients), problem.first_gradients)
        #expect(error <= 1e-15, "relative error of the gradients: \(error)")
        // Entry by entry, against the largest gradient of the same parameter: a sum over many
        // positions (a bias of a convolution) can cancel to an entry far below its terms.
        for (index, (parameter, expected)) in zip(model.parameters, problem.first_gradients).enumerated() {
            let scale = expected.map(abs).max() ?? 0
            let worst = zip(parameter.gradients, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-14 * scale, "parameter \(index): largest difference \(worst / scale) of the largest gradient")
        }
    }

    @Test(arguments: ["mlp", "cnn"])
    func fullBatchTrainingFollowsPyTorch(name: String) throws {
        let problem = try #require(Self.problems.first { $0.name == name })
        let (model, dataset, loss) = try setUp(problem)
        let solver = Solver(model: model, loss: loss, optimizer: SGD(learningRate: problem.learning_rate),
                            configuration: TrainingConfiguration(epochs: problem.steps, batchSize: dataset.count,
                                                                 shuffle: false, monitor: .trainLoss),
                            generator: RandomGenerator(seed: 1))
        _ = try solver.train(training: dataset, validation: nil)
        let losses = solver.state.history.map(\.trainLoss)
        try #require(losses.count == problem.steps)
        for (step, (baifs, pytorch)) in zip(losses, problem.losses).enumerated() {
            #expect(abs(baifs - pytorch) <= 1e-14 * abs(pytorch), "step \(step): \(baifs) against \(pytorch)")
        }
        let error = relativeError(model.parameters.map(\.values), problem.final_parameters)
        #expect(error <= 1e-14, "relative error of the final parameters: \(error)")
    }
}
