import Baifs
import Configuration
import TestSupport
import Testing

/// A minimal experiment gets every default that `ConfigSchema` and `ExperimentConfig` document.
struct DefaultsTests {
    @Test func minimalConfigGetsEveryDefault() throws {
        let experiment = try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "runs/moons.yaml")
        let expected = ExperimentConfig(
            name: "moons", seed: 0,
            dataset: DatasetSection(kind: .twoMoons, samples: 300, noise: 0.1, factor: 0.5, classes: 3,
                                    validationFraction: 0.2, path: nil, target: nil, task: .classification,
                                    features: nil, shape: nil, normalize: .none, splitColumn: nil),
            model: ModelSection(kind: .mlp, inputShape: [2], layers: [
                .linear(inputSize: 2, outputSize: 8, bias: true), .activation(.tanh),
                .linear(inputSize: 8, outputSize: 1, bias: true),
            ]),
            loss: .meanSquaredError,
            optimizer: OptimizerSection(kind: .sgd, learningRate: 0.1, momentum: 0, nesterov: false, weightDecay: 0,
                                        beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
            clipping: ClippingSection(kind: .none, threshold: 1),
            schedule: ScheduleSection(kind: .constant, stepSize: 10, gamma: 0.1, minimum: 0, warmupEpochs: 0),
            training: TrainingSection(epochs: 20, batchSize: 16, shuffle: true, monitor: .validationAccuracy,
                                      earlyStopping: nil, checkpointEvery: 0),
            initFrom: nil)
        #expect(experiment.config == expected)
        #expect((experiment.training.count, experiment.validation.count) == (240, 60))
    }

    @Test(arguments: [
        ("two_moons", 0.1), ("circles", 0.05), ("xor", 0.3), ("spirals", 0.2), ("sine", 0.1), ("bars", 0.15), ("shapes", 0.15),
    ])
    func noiseDefaultsToEachGeneratorsOwn(kind: String, noise: Double) throws {
        let isImage = kind == "bars" || kind == "shapes"
        let outputs = kind == "spirals" ? 3 : isImage ? 4 : 1
        let yaml = """
            dataset: {kind: \(kind), samples: 20}
            model:
              kind: \(isImage ? "micro_resnet" : "mlp")
              layers:
            \(isImage ? "    - {type: conv2d, out: 1, kernel: 8}\n    - flatten\n" : "")    - {type: linear, out: \(outputs)}
            """
        let config = try ExperimentLoader.load(yaml: yaml, path: "\(kind).yaml").config
        #expect(config.dataset.noise == noise)
        #expect(config.model.inputShape == (isImage ? [1, 8, 8] : kind == "sine" ? [1] : [2]))
    }

    @Test func regressionMonitorsValidationLossAndNoValidationMonitorsTraining() throws {
        let sine = try ExperimentLoader.load(yaml: """
            dataset: {kind: sine}
            model: {kind: mlp, layers: [{type: linear, out: 1}]}
            """, path: "sine.yaml")
        #expect(sine.config.dataset.task == .regression)
        #expect(sine.config.training.monitor == .validationLoss)

        let noValidation = try ExperimentLoader.load(contentsOf: "\(Fixtures.folder)/valid/no-validation.yaml")
        #expect(noValidation.config.training.monitor == .trainLoss)
        #expect(noValidation.validation.count == 0)
        #expect(noValidation.training.count == 50)

        let xor = try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "x.yaml",
                                            overrides: ["dataset.kind=xor", "dataset.validation_fraction=0"])
        #expect(xor.config.training.monitor == .trainAccuracy)
    }

    @Test func optimizerDefaultsDependOnItsKind() throws {
        let adam = try ExperimentLoader.load(yaml: Fixtures.minimalYAML + "optimizer: {kind: adam}\n", path: "a.yaml").config
        #expect(adam.optimizer == OptimizerSection(kind: .adam, learningRate: 0.001, momentum: 0, nesterov: false,
                                                   weightDecay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
        let adamW = try ExperimentLoader.load(yaml: Fixtures.minimalYAML + "optimizer: {kind: adamw}\n", path: "a.yaml").config
        #expect(adamW.optimizer.weightDecay == 0.01)
    }

    @Test func poolingStrideDefaultsToTheKernel() throws {
        let config = try ExperimentLoader.load(yaml: """
            dataset: {kind: bars}
            model:
              kind: micro_resnet
              layers: [{type: conv2d, out: 2, kernel: 3}, {type: avg_pool, kernel: 3}, flatten, {type: linear, out: 4}]
            loss: cross_entropy
            """, path: "b.yaml").config
        #expect(config.model.layers[1] == .averagePool(kernelSize: 3, stride: 3))
        #expect(config.model.layers[3] == .linear(inputSize: 8, outputSize: 4, bias: true))
    }
}
