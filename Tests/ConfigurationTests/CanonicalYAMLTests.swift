import Baifs
import Configuration
import TestSupport
import Testing

/// `ExperimentConfig.yaml`: the resolved configuration as deterministic, re-loadable YAML.
struct CanonicalYAMLTests {
    @Test func writesEveryApplicableKeyInSchemaOrder() throws {
        let config = try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "moons.yaml").config
        #expect(config.yaml == """
            name: moons
            seed: 0
            dataset:
              kind: two_moons
              samples: 300
              noise: 0.1
              validation_fraction: 0.2
              test_fraction: 0.0
            model:
              kind: mlp
              input_shape: [2]
              layers:
                - {type: linear, in: 2, out: 8, bias: true}
                - tanh
                - {type: linear, in: 8, out: 1, bias: true}
            loss: mse
            optimizer:
              kind: sgd
              learning_rate: 0.1
              momentum: 0.0
              nesterov: false
              weight_decay: 0.0
            clipping:
              kind: none
            schedule:
              kind: constant
              warmup_epochs: 0
            training:
              epochs: 20
              batch_size: 16
              shuffle: true
              monitor: val_accuracy
              checkpoint_every: 0
              tensorboard: true

            """)
    }

    @Test func writesCSVKeysAndLeavesOutThoseThatDoNotApply() throws {
        let yaml = try ExperimentLoader.load(contentsOf: "\(Fixtures.folder)/valid/csv-regression.yaml").config.yaml
        #expect(yaml.hasPrefix("""
            name: "table regression"
            seed: 18446744073709551615
            dataset:
              kind: csv
              path: data/table.csv
              target: value
              task: regression
              features: [d, c, b, a]
              shape: [1, 2, 2]
              scale: 1.0
              normalize: min_max
              split_column: split
            model:
              kind: micro_resnet
              input_shape: [1, 2, 2]
              layers:
                - {type: conv2d, in: 1, out: 2, bias: false, kernel: 2, stride: 1, padding: 1}
                - sigmoid
                - {type: avg_pool, kernel: 2, stride: 1}
                - flatten
                - {type: linear, in: 8, out: 1, bias: true}
            loss: mse
            optimizer:
              kind: adamw
              learning_rate: 0.003
              weight_decay: 0.05
              beta1: 0.8
              beta2: 0.99
              epsilon: 1e-06
            clipping:
              kind: value
              threshold: 0.5
            schedule:
              kind: step
              step_size: 3
              gamma: 0.5
              warmup_epochs: 1
            training:
              epochs: 6
              batch_size: 2
              shuffle: false
              monitor: val_loss
              early_stopping:
                patience: 2
                min_delta: 0.001
              checkpoint_every: 2
              tensorboard: true
            init_from: "runs/table: 1/checkpoints/best.json"

            """))
    }

    @Test(arguments: [0.1 + 0.2, 1e-300, .leastNonzeroMagnitude, 123_456_789.123_456_78, 0.999_999_999_999_999_9, 1e22, 3])
    func numbersRoundTripExactly(value: Double) throws {
        let config = try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "n.yaml",
                                               overrides: ["optimizer.learning_rate=\(value)"]).config
        let reloaded = try ExperimentLoader.load(yaml: config.yaml, path: "n.yaml").config
        #expect(reloaded.optimizer.learningRate.bitPattern == value.bitPattern)
    }

    @Test(arguments: ["true", "123", "null", "", "~", "a: b", "- x", "it's \"quoted\"", "tab\there", "ünï", ".inf",
                      "yes", "1e3", "2024-01-01", "#x", "back\\slash", "runs/a-1/best.json"])
    func stringsRoundTripExactly(text: String) throws {
        var config = try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "s.yaml").config
        config.initFrom = text
        // The file is not there: only the text is checked.
        let reloaded = try ExperimentLoader.load(yaml: config.yaml, path: "s.yaml", options: .init(readsInitFrom: false))
        #expect(reloaded.config.initFrom == text)
    }

    @Test func plainStringsStayPlain() throws {
        var config = try ExperimentLoader.load(yaml: Fixtures.minimalYAML, path: "s.yaml").config
        config.initFrom = "runs/moons-mlp-3/checkpoints/best.json"
        #expect(config.yaml.hasSuffix("init_from: runs/moons-mlp-3/checkpoints/best.json\n"))
        config.initFrom = "true"
        #expect(config.yaml.hasSuffix("init_from: \"true\"\n"))
    }
}
