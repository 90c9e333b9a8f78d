import Baifs
import Configuration
import TestSupport
import Testing

struct OverrideTests {
    /// Loads the minimal experiment with `overrides`.
    func load(_ overrides: String...) throws -> ExperimentConfig {
        try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "experiment.yaml", overrides: overrides).config
    }

    @Test func setsScalarsInExistingAndMissingSections() throws {
        let config = try load("optimizer.kind=adam", "optimizer.learning_rate=0.01", "seed=9", "name=other",
                              "training.epochs=3")
        #expect(config.optimizer.kind == .adam)
        #expect(config.optimizer.learningRate == 0.01)
        #expect(config.seed == 9)
        #expect(config.name == "other")
        #expect(config.training.epochs == 3)
    }

    @Test func kindDefaultsFollowAnOverriddenKind() throws {
        let config = try load("optimizer.kind=adamw")
        #expect(config.optimizer.learningRate == 0.001)
        #expect(config.optimizer.weightDecay == 0.01)
    }

    @Test func listIndicesAddressLayersAndSizesFlowOn() throws {
        let config = try load("model.layers.0.out=32")
        #expect(config.model.layers == [.linear(inputSize: 2, outputSize: 32, bias: true), .activation(.tanh),
                                        .linear(inputSize: 32, outputSize: 1, bias: true)])
    }

    @Test func bareLayersAndSectionsCanBeReplacedOrExpanded() throws {
        #expect(try load("model.layers.1=relu").model.layers[1] == .activation(.relu))
        #expect(try load("model.layers.1.type=sigmoid").model.layers[1] == .activation(.sigmoid))
        #expect(try load("clipping=norm").clipping == ClippingSection(kind: .norm, threshold: 1))
        #expect(try load("clipping=value", "clipping.threshold=0.5").clipping == ClippingSection(kind: .value, threshold: 0.5))
        #expect(try load("schedule=cosine", "schedule.minimum=0.001").schedule.minimum == 0.001)
    }

    @Test func createsAMissingNestedSection() throws {
        let config = try load("training.early_stopping.patience=5")
        #expect(config.training.earlyStopping == EarlyStopping(patience: 5, minimumDelta: 0))
    }

    @Test func flowCollectionsAreYAML() throws {
        let config = try load("model.input_shape=[2]", "training.early_stopping={patience: 3, min_delta: 0.01}")
        #expect(config.model.inputShape == [2])
        #expect(config.training.earlyStopping == EarlyStopping(patience: 3, minimumDelta: 0.01))
        let bars = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/resnet.yaml",
                                             overrides: ["model.input_shape=[1,8,8]", "model.layers.0.out=8"])
        #expect(bars.config.model.layers[2] == .residual(inputChannels: 8, outputChannels: 4, stride: 1))
    }

    @Test func laterOverridesWinAndAnEmptyValueUnsets() throws {
        #expect(try load("seed=1", "seed=2").seed == 2)
        #expect(try load("init_from=runs/a/best.json", "init_from=").initFrom == nil)
    }

    @Test func anOverrideCanFixTheFile() throws {
        let yaml = Fixtures.minimalYAML + "optimizer:\n  learning_rate: 0\n"
        #expect(Fixtures.diagnostics(yaml: yaml) == ["experiment.yaml:10:18: error: optimizer.learning_rate: must be > 0; got 0"])
        #expect(Fixtures.diagnostics(yaml: yaml, overrides: ["optimizer.learning_rate=0.2"]).isEmpty)
    }

    @Test(arguments: [
        ("optimizer.learning_rate=-1",
         "--set:1:25: error: optimizer.learning_rate: must be > 0; got -1"),
        ("optimizer.learning_rat=0.1",
         "--set:1:11: error: optimizer.learning_rat: unknown key 'learning_rat'; did you mean 'learning_rate'? (valid keys: kind, learning_rate, momentum, nesterov, weight_decay, beta1, beta2, epsilon)"),
        ("optimzer.kind=adam",
         "--set:1:1: error: optimzer: unknown key 'optimzer'; did you mean 'optimizer'? (valid keys: name, seed, dataset, model, loss, optimizer, clipping, schedule, training, init_from)"),
        ("optimizer.kind=adamm",
         "--set:1:16: error: optimizer.kind: unknown value 'adamm'; did you mean 'adam'? (choices: sgd, adam, adamw)"),
        ("optimizer.momentum=fast",
         "--set:1:20: error: optimizer.momentum: expected a number, got 'fast'"),
        ("model.input_shape=[1,x,8]",
         "--set:1:22: error: model.input_shape.1: expected an integer, got 'x'"),
        ("model.layers.0.out=0",
         "--set:1:20: error: model.layers.0.out: must be in [1, 1000000]; got 0"),
        ("model.layers.5.out=3",
         "--set:1:14: error: model.layers.5: model.layers is a list of 3 items; '5' is not the index of one"),
        ("model.layers.0={type: conv2d, out: 4, kernel: 3}",
         "--set:1:23: error: model.layers.0.type: conv2d layers need model kind micro_resnet; this model is mlp"),
        ("model.layers.0.type=conv2d",
         "experiment.yaml:6:7: error: model.layers.0: missing required key 'kernel'"),
        ("clipping.threshold=2",
         "--set:1:10: error: clipping.threshold: threshold applies to clipping kinds value and norm only; this clipping is none"),
        ("seed.value=3",
         "--set:1:1: error: seed: expected an integer, got a mapping"),
        ("training.epochs=[1",
         "--set:1:19: error: training.epochs: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at column 17)"),
        ("learning_rate",
         "--set:1:1: error: malformed override 'learning_rate'; expected KEY.PATH=VALUE, such as optimizer.learning_rate=0.01"),
        ("optimizer..kind=adam",
         "--set:1:11: error: optimizer..kind: malformed override 'optimizer..kind=adam'; the key path has an empty component"),
    ])
    func reportsOverrideProblemsInTheArgument(override: String, expected: String) {
        #expect(Fixtures.diagnostics(yaml: Fixtures.minimalYAML, overrides: [override]) == [expected])
    }

    @Test func fileErrorsComeBeforeOverrideErrors() {
        let yaml = Fixtures.minimalYAML + "training:\n  batch_size: 0\n"
        #expect(Fixtures.diagnostics(yaml: yaml, overrides: ["training.epochs=0"]) == [
            "experiment.yaml:10:15: error: training.batch_size: must be in [1, 1000000]; got 0",
            "--set:1:17: error: training.epochs: must be in [1, 1000000]; got 0",
        ])
    }
}
