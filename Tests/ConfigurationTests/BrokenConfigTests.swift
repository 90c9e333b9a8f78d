import Configuration
import Foundation
import TestSupport
import Testing

/// An experiment file with mistakes and the exact diagnostics it must give. In the expected
/// lines, `{file}` stands for the fixture's path as passed to the loader and `{dir}` for its folder.
struct BrokenConfig: CustomTestStringConvertible, Sendable {
    let file: String
    let expected: [String]

    init(_ file: String, _ expected: String...) {
        self.file = file
        self.expected = expected
    }

    var testDescription: String { file }

    static let corpus: [BrokenConfig] = [
        // Keys.
        BrokenConfig("unknown-top-level-key.yaml",
                     "{file}:9:1: error: optimzer: unknown key 'optimzer'; did you mean 'optimizer'? (valid keys: name, seed, dataset, model, loss, optimizer, clipping, schedule, training, init_from)"),
        BrokenConfig("unknown-nested-key.yaml",
                     "{file}:11:3: error: optimizer.learning_rat: unknown key 'learning_rat'; did you mean 'learning_rate'? (valid keys: kind, learning_rate, momentum, nesterov, weight_decay, beta1, beta2, epsilon)"),
        BrokenConfig("unknown-key-without-suggestion.yaml",
                     "{file}:11:3: error: training.colour: unknown key 'colour' (valid keys: epochs, batch_size, shuffle, monitor, early_stopping, checkpoint_every, tensorboard)"),
        BrokenConfig("missing-required-key.yaml",
                     "{file}:4:3: error: model: missing required key 'layers'"),
        BrokenConfig("misspelled-required-key.yaml",
                     "{file}:5:3: error: model.layer: unknown key 'layer'; did you mean 'layers'? (valid keys: kind, input_shape, layers)"),
        BrokenConfig("key-not-applicable-to-kind.yaml",
                     "{file}:11:3: error: optimizer.momentum: momentum applies to optimizer kind sgd only; this optimizer is adam"),

        // Values.
        BrokenConfig("misspelled-optimizer-kind.yaml",
                     "{file}:10:9: error: optimizer.kind: unknown value 'adamm'; did you mean 'adam'? (choices: sgd, adam, adamw)"),
        BrokenConfig("misspelled-dataset-kind.yaml",
                     "{file}:2:9: error: dataset.kind: unknown value 'two_moon'; did you mean 'two_moons'? (choices: two_moons, circles, xor, spirals, sine, bars, shapes, csv, npy, idx)"),
        BrokenConfig("learning-rate-not-a-number.yaml",
                     "{file}:10:18: error: optimizer.learning_rate: expected a number, got 'fast'"),
        BrokenConfig("epochs-not-an-integer.yaml",
                     "{file}:10:11: error: training.epochs: expected an integer, got 0.5"),
        BrokenConfig("input-shape-not-a-list.yaml",
                     "{file}:5:16: error: model.input_shape: expected a list of integers, got 2"),
        BrokenConfig("section-not-a-mapping.yaml",
                     "{file}:9:12: error: optimizer: expected a mapping, got 'adam'"),
        BrokenConfig("learning-rate-not-positive.yaml",
                     "{file}:11:18: error: optimizer.learning_rate: must be > 0; got 0"),
        BrokenConfig("batch-size-zero.yaml",
                     "{file}:10:15: error: training.batch_size: must be in [1, 1000000]; got 0"),
        BrokenConfig("negative-seed.yaml",
                     "{file}:1:7: error: seed: must be ≥ 0; got -3"),
        BrokenConfig("validation-fraction-out-of-range.yaml",
                     "{file}:3:24: error: dataset.validation_fraction: must be in [0, 1); got 1.0"),
        BrokenConfig("early-stopping-patience-zero.yaml",
                     "{file}:10:30: error: training.early_stopping.patience: must be in [1, 1000000]; got 0",
                     "{file}:10:44: error: training.early_stopping.min_delta: must be ≥ 0; got -1"),
        BrokenConfig("nesterov-without-momentum.yaml",
                     "{file}:11:13: error: optimizer.nesterov: nesterov needs momentum > 0; momentum is 0"),
        BrokenConfig("cosine-warmup-too-long.yaml",
                     "{file}:11:18: error: schedule.warmup_epochs: cosine annealing needs epochs after the warm-up; warmup_epochs is 5 and training.epochs is 5"),

        // The model against the data and the loss.
        BrokenConfig("kernel-larger-than-padded-input.yaml",
                     "{file}:7:7: error: model.layers.1: a 5×5 kernel is larger than its padded input 4×4 (shape [1, 2, 2], padding 1)"),
        BrokenConfig("conv-channel-mismatch.yaml",
                     "{file}:8:26: error: model.layers.2.in: in is 8, but 4 channels flow into this layer (shape [4, 8, 8]); omit in, or set it to 4"),
        BrokenConfig("linear-in-mismatch.yaml",
                     "{file}:6:26: error: model.layers.0.in: in is 3, but 2 features flow into this layer (shape [2]); omit in, or set it to 2"),
        BrokenConfig("missing-flatten.yaml",
                     "{file}:8:7: error: model.layers.2: a linear layer needs a flat input, but gets shape [4, 8, 8]; add a flatten layer before it (it would give 256 features)"),
        BrokenConfig("cross-entropy-output-size.yaml",
                     "{file}:8:27: error: model.layers.2.out: cross_entropy needs one output per class (4), but the model gives 3"),
        BrokenConfig("mse-output-size.yaml",
                     "{file}:10:12: error: model.layers.2.out: mse on 4 classes needs 4 outputs (one-hot targets), but the model gives 2"),
        BrokenConfig("input-shape-mismatch.yaml",
                     "{file}:5:16: error: model.input_shape: input_shape [2] does not match the dataset's sample shape [1]"),
        BrokenConfig("mlp-with-conv-layer.yaml",
                     "{file}:6:14: error: model.layers.0.type: conv2d layers need model kind micro_resnet; this model is mlp"),
        BrokenConfig("micro-resnet-without-conv.yaml",
                     "{file}:6:5: error: model.layers: a micro_resnet needs at least one conv2d or residual layer; use model kind mlp for other layers"),
        BrokenConfig("bare-layer-with-settings.yaml",
                     "{file}:6:7: error: model.layers.0: a linear layer has settings; write it as a mapping, such as {type: linear, out: 16}"),
        BrokenConfig("cross-entropy-on-regression.yaml",
                     "{file}:7:7: error: loss: cross_entropy needs a classification task; this dataset (sine) is regression"),
        BrokenConfig("monitor-accuracy-on-regression.yaml",
                     "{file}:10:12: error: training.monitor: val_accuracy needs a classification task; this dataset (sine) is regression"),
        BrokenConfig("monitor-validation-without-validation-set.yaml",
                     "{file}:9:12: error: training.monitor: val_loss needs a validation set, but the dataset has no validation samples; monitor train_accuracy or hold some out"),

        // CSV data, reported in the CSV file.
        BrokenConfig("csv-unknown-column.yaml",
                     "{dir}/data/small.csv:1:1: error: unknown target column 'lable'; did you mean 'label'? (columns: x1, x2, label, split)"),
        BrokenConfig("csv-missing-file.yaml",
                     "{dir}/data/missing.csv:1:1: error: cannot read file: no such file"),
        BrokenConfig("csv-unseen-class.yaml",
                     "{dir}/data/unseen-class.csv:4:3: error: class 'virginca' in column 'species' does not occur in the training rows, whose classes are setosa, virginica; did you mean 'virginica'?"),
        BrokenConfig("test-fraction-with-split-column.yaml",
                     "{file}:6:3: error: dataset.test_fraction: test_fraction cannot be combined with split_column, which decides the validation and test rows"),
        BrokenConfig("fractions-leave-nothing.yaml",
                     "{file}:4:18: error: dataset.test_fraction: validation_fraction (0.5) and test_fraction (0.5) add up to 1.0, leaving nothing to train on; together they must stay below 1"),

        // NumPy and IDX files, located at the offending byte or in the file at fault.
        BrokenConfig("npy-truncated.yaml",
                     "{dir}/data/truncated.npy: error: byte 202: the data ends after 74 of 80 bytes: shape (10, 2) of '<f4' needs 80 bytes after the header (the file is truncated)"),
        BrokenConfig("npy-unsupported-dtype.yaml",
                     "{dir}/data/complex.npy: error: byte 20: unsupported dtype '<c8'; supported are floats (f2, f4, f8), signed and unsigned integers (i1…i8, u1…u8), booleans (b1) and strings (U, S), in either byte order"),
        BrokenConfig("npy-count-mismatch.yaml",
                     // About the file as a whole, so located where the experiment names it.
                     "{file}:5:12: error: dataset.targets: {dir}/data/labels-9.npy: the targets have 9 rows, but the features in {dir}/data/features.npy have 10 samples; both need one row per sample"),
        BrokenConfig("idx-wrong-magic.yaml",
                     "{dir}/data/wrong-magic-idx: error: byte 0: not an IDX file: the magic number is 0x03080000; IDX files start with 00 00, an element type (08 unsigned byte, 09 signed byte, 0B short, 0C int, 0D float, 0E double) and the number of dimensions (at least 1), such as 00000803 for MNIST images"),
        BrokenConfig("idx-test-labels-without-images.yaml",
                     "{file}:5:3: error: dataset.test_labels: test_labels needs test_images: the test set is a pair of IDX files"),
        BrokenConfig("loss-unknown-reduction.yaml",
                     "{file}:7:30: error: loss.reduction: unknown value 'average' (choices: mean, sum)"),
        BrokenConfig("csv-split-column-with-fraction.yaml",
                     "{file}:6:3: error: dataset.validation_fraction: validation_fraction cannot be combined with split_column, which decides the validation and test rows"),

        // The document.
        BrokenConfig("malformed-indentation.yaml",
                     "{file}:3:11: error: malformed YAML: mapping values are not allowed in this context"),
        BrokenConfig("malformed-unclosed-bracket.yaml",
                     "{file}:6:9: error: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 5, column 16)"),
        BrokenConfig("duplicate-key.yaml",
                     "{file}:1:1: error: duplicate key 'seed'; a key may appear only once in a mapping"),
        BrokenConfig("empty.yaml",
                     "{file}:1:1: error: the experiment file is empty; it needs at least the keys dataset and model"),
        BrokenConfig("comments-only.yaml",
                     "{file}:1:1: error: the experiment file is empty; it needs at least the keys dataset and model"),
        BrokenConfig("not-a-mapping.yaml",
                     "{file}:1:1: error: the top level of an experiment file must be a mapping of keys such as dataset and model; got a list"),

        // Every independent error in one pass, in file order; none that only follows from another.
        BrokenConfig("several-errors.yaml",
                     "{file}:5:12: error: dataset.samples: must be in [2, 1000000]; got 1",
                     "{file}:6:3: error: dataset.factor: factor applies to dataset kind circles only; this dataset is spirals",
                     "{file}:10:27: error: model.layers.0.out: must be in [1, 1000000]; got 0",
                     "{file}:12:14: error: model.layers.2.type: unknown value 'lienar'; did you mean 'linear'? (choices: linear, conv2d, residual, max_pool, avg_pool, global_avg_pool, flatten, relu, tanh, sigmoid)",
                     "{file}:15:18: error: optimizer.learning_rate: must be > 0; got -0.1",
                     "{file}:16:3: error: optimizer.beta1: beta1 applies to optimizer kinds adam and adamw only; this optimizer is sgd",
                     "{file}:17:11: error: clipping: unknown value 'clip' (choices: none, value, norm)",
                     "{file}:20:14: error: schedule.step_size: must be in [1, 1000000]; got 0",
                     "{file}:23:15: error: training.batch_size: expected an integer, got 'sixteen'",
                     "{file}:24:12: error: training.shuffle: expected true or false, got 'maybe'"),
    ]
}

struct BrokenConfigTests {
    @Test(arguments: BrokenConfig.corpus)
    func reportsExactDiagnostics(_ broken: BrokenConfig) {
        let path = "\(Fixtures.brokenFolder)/\(broken.file)"
        let expected = broken.expected.map {
            $0.replacingOccurrences(of: "{file}", with: path).replacingOccurrences(of: "{dir}", with: Fixtures.brokenFolder)
        }
        do {
            _ = try ExperimentLoader.load(contentsOf: path)
            Issue.record("\(broken.file) loaded without errors")
        } catch {
            #expect(error.errors.map(\.description) == expected)
            #expect(error.description == expected.joined(separator: "\n"))
        }
    }

    @Test func everyFixtureIsInTheCorpus() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.brokenFolder).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files) == Set(BrokenConfig.corpus.map(\.file)))
    }

    @Test func missingExperimentFileIsReportedAtItsStart() {
        let path = "\(Fixtures.brokenFolder)/no-such-experiment.yaml"
        #expect(throws: ConfigErrors([ConfigError(file: path, line: 1, column: 1, keyPath: "",
                                                  message: "cannot read the experiment file (no such file)")])) {
            try ExperimentLoader.load(contentsOf: path)
        }
    }

    @Test func hugeSizesAreReportedRatherThanOverflowing() {
        let yaml = """
            dataset: {kind: bars}
            model:
              kind: micro_resnet
              layers:
                - {type: conv2d, out: 9223372036854775807, kernel: 1}
                - flatten
                - {type: linear, out: 4}
            """
        #expect(Fixtures.diagnostics(yaml: yaml) == [
            "experiment.yaml:5:27: error: model.layers.0.out: must be in [1, 1000000]; got 9223372036854775807",
        ])
        #expect(Fixtures.diagnostics(yaml: yaml, overrides: ["model.layers.0.out=4", "model.layers.0.padding=4611686018427387904"]) == [
            "--set:1:24: error: model.layers.0.padding: must be in [0, 1000]; got 4611686018427387904",
        ])
        #expect(Fixtures.diagnostics(yaml: Fixtures.minimalYAML, overrides: ["seed=18446744073709551616", "training.epochs=99999999999999999999"]) == [
            "--set:1:6: error: seed: must be at most 18446744073709551615; got 18446744073709551616",
            "--set:1:17: error: training.epochs: must be in [1, 1000000]; got 99999999999999999999",
        ])
    }

    @Test func descriptionOmitsAnEmptyKeyPath() {
        let located = ConfigError(file: "a.yaml", line: 3, column: 5, keyPath: "model.layers.2.out", message: "must be ≥ 1; got 0")
        let document = ConfigError(file: "a.yaml", line: 1, column: 1, keyPath: "", message: "the experiment file is empty")
        #expect(located.description == "a.yaml:3:5: error: model.layers.2.out: must be ≥ 1; got 0")
        #expect(document.description == "a.yaml:1:1: error: the experiment file is empty")
        #expect(ConfigErrors([located, document]).description == "\(located)\n\(document)")
    }
}
