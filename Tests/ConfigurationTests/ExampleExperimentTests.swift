import Baifs
import Configuration
import Foundation
import TestSupport
import Testing

/// The shipped example experiments and the valid fixtures: they load, their resolved YAML loads
/// back to the same configuration, and the models they build fit their data.
struct ExampleExperimentTests {
    @Test func examplesExist() {
        let names = Set(Fixtures.examplePaths.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(Set(["iris.yaml", "mlp.yaml", "resnet.yaml", "spirals-adam.yaml", "digits-mlp.yaml", "digits-resnet.yaml"]).isSubset(of: names))
    }

    @Test(arguments: Fixtures.examplePaths + Fixtures.validPaths)
    func loadsAndRoundTripsThroughCanonicalYAML(path: String) throws {
        let experiment = try ExperimentLoader.load(contentsOf: path)
        let yaml = experiment.config.yaml
        let reloaded = try ExperimentLoader.load(yaml: yaml, path: path)
        #expect(reloaded.config == experiment.config)
        #expect(reloaded.config.yaml == yaml)
        #expect(reloaded.training == experiment.training)
        #expect(reloaded.validation == experiment.validation)
        #expect(reloaded.normalization == experiment.normalization)
    }

    @Test(arguments: Fixtures.examplePaths + Fixtures.validPaths)
    func builtModelHasTheResolvedShapes(path: String) throws {
        let experiment = try ExperimentLoader.load(contentsOf: path)
        var generator = RandomGenerator(seed: 1)
        let model = experiment.makeModel(generator: &generator)
        let output = try model.outputShape(for: experiment.config.model.inputShape)
        #expect(experiment.config.model.inputShape == experiment.training.sampleShape)
        let classes = experiment.training.classCount
        switch (experiment.config.loss, classes) {
        case (.crossEntropy, let classes?): #expect(output == [classes])
        case (.meanSquaredError, let classes?), (.summedSquaredError, let classes?): #expect(output == [classes] || (output == [1] && classes == 2))
        case (_, nil): #expect(output == [1])
        }
    }

    /// The Swift API and an experiment file build the same types with the same parameter names and
    /// the same initial values, so a checkpoint of one loads into the other.
    @Test func swiftModelsAndExperimentFilesBuildTheSameNetworks() throws {
        let resnet = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/resnet.yaml")
        var fileGenerator = RandomGenerator(seed: 9), swiftGenerator = RandomGenerator(seed: 9)
        let fromFile = resnet.makeModel(generator: &fileGenerator)
        let fromSwift = MicroResNet(inputShape: [1, 8, 8], stemChannels: 4, blockChannels: [4], outputs: 4, generator: &swiftGenerator)
        #expect(fromFile is MicroResNet)
        #expect(fromFile.description == fromSwift.description)
        #expect(fromFile.namedParameters.map(\.name) == fromSwift.namedParameters.map(\.name))
        #expect(fromFile.namedParameters.map(\.parameter.values) == fromSwift.namedParameters.map(\.parameter.values))

        let moons = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/mlp.yaml")
        fileGenerator = RandomGenerator(seed: 9)
        swiftGenerator = RandomGenerator(seed: 9)
        let mlpFromFile = moons.makeModel(generator: &fileGenerator)
        let mlpFromSwift = MLP(sizes: [2, 16, 16, 1], activation: .tanh, generator: &swiftGenerator)
        #expect(mlpFromFile is MLP)
        #expect(mlpFromFile.namedParameters.map(\.name) == mlpFromSwift.namedParameters.map(\.name))
        #expect(mlpFromFile.namedParameters.map(\.parameter.values) == mlpFromSwift.namedParameters.map(\.parameter.values))
    }

    @Test func moonsMLPIsTheOriginalNetwork() throws {
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/mlp.yaml")
        let config = experiment.config
        #expect(config.model.layers == [
            .linear(inputSize: 2, outputSize: 16, bias: true), .activation(.tanh),
            .linear(inputSize: 16, outputSize: 16, bias: true), .activation(.tanh),
            .linear(inputSize: 16, outputSize: 1, bias: true),
        ])
        #expect(config.loss == .meanSquaredError)
        #expect(config.optimizer == OptimizerSection(kind: .sgd, learningRate: 0.1, momentum: 0.9, nesterov: false,
                                                     weightDecay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
        #expect(config.training.monitor == .validationAccuracy)
        #expect((experiment.training.count, experiment.validation.count) == (225, 75))

        var generator = RandomGenerator(seed: 3)
        let model = experiment.makeModel(generator: &generator)
        #expect(model.summary == "MLP")
        #expect(model.namedParameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight",
                                                      "layers.2.bias", "layers.4.weight", "layers.4.bias"])
        #expect(model.parameterCount == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1)
    }

    @Test func toyDataIsGeneratedThenSplitFromTheSeed() throws {
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/resnet.yaml")
        var generator = RandomGenerator(seed: experiment.config.seed)
        let all = Dataset.bars(count: 400, noise: 0.15, generator: &generator)
        let (training, validation) = all.split(validationFraction: 0.25, generator: &generator)
        #expect(experiment.training == training)
        #expect(experiment.validation == validation)
        #expect(experiment.normalization == nil)
    }

    @Test func csvDataIsReadSplitAndNormalized() throws {
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/iris.yaml")
        #expect((experiment.training.count, experiment.validation.count, experiment.test?.count) == (90, 30, 30))
        #expect(experiment.training.classCount == 3)
        #expect(experiment.classes == .names(["setosa", "versicolor", "virginica"]))
        #expect(experiment.normalization?.method == .standardize)
        #expect(experiment.config.model.inputShape == [4])

        let regression = try ExperimentLoader.load(contentsOf: Fixtures.validPaths[0])
        #expect((regression.training.count, regression.validation.count) == (5, 2))
        #expect(regression.training.sampleShape == [1, 2, 2])
        #expect(regression.normalization?.method == .minMax)
        #expect(regression.config.training.monitor == .validationLoss)
        #expect(regression.config.seed == .max)
    }

    @Test func loadingIsDeterministic() throws {
        for path in Fixtures.examplePaths {
            let first = try ExperimentLoader.load(contentsOf: path)
            let second = try ExperimentLoader.load(contentsOf: path)
            #expect(first.training == second.training && first.validation == second.validation)
        }
    }

    @Test func dataPathsAreRelativeToTheExperimentFile() {
        #expect(ExperimentLoader.resolve(dataPath: "data/x.csv", relativeTo: "experiments/a.yaml") == "experiments/data/x.csv")
        #expect(ExperimentLoader.resolve(dataPath: "data/x.csv", relativeTo: "a.yaml") == "data/x.csv")
        #expect(ExperimentLoader.resolve(dataPath: "/tmp/x.csv", relativeTo: "experiments/a.yaml") == "/tmp/x.csv")
    }
}
