import Baifs
@testable import Configuration
import Foundation
@testable import Sweeps
import TestSupport
import Testing

/// Sweep files: expansion into trials (order, ranges, seeded random draws), defaults, and strict
/// validation with compiler-style errors located in the sweep file.
struct SweepLoaderTests {
    /// Where the sweep files of these tests pretend to be: beside the shipped `mlp.yaml`.
    static let path = "\(Fixtures.examplesFolder)/test-sweep.yaml"

    /// Loads `yaml` as the sweep file at `path`.
    func load(_ yaml: String) throws(ConfigErrors) -> SweepPlan {
        try SweepLoader.load(yaml: yaml, path: Self.path)
    }

    /// The diagnostic lines of loading `yaml`, the sweep file's path shortened to `sweep.yaml`
    /// and the examples folder to `experiments`; empty if it loads.
    func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.errors.map {
                $0.description.replacingOccurrences(of: Self.path, with: "sweep.yaml")
                    .replacingOccurrences(of: Fixtures.examplesFolder, with: "experiments")
            }
        }
    }

    // MARK: - Expansion

    @Test func gridVariesTheFirstKeyPathSlowestAfterTheFixedOverrides() throws {
        let plan = try load("""
            base: mlp.yaml
            set: {training.epochs: 2}
            grid:
              optimizer.learning_rate: [0.03, 0.1]
              training.batch_size: [8, 16, 32]
            """)
        #expect(plan.trials.map(\.id) == (1...6).map { String(format: "trial-%04d", $0) })
        #expect(plan.trials.map(\.overrides) == [
            ["training.epochs=2", "optimizer.learning_rate=0.03", "training.batch_size=8"],
            ["training.epochs=2", "optimizer.learning_rate=0.03", "training.batch_size=16"],
            ["training.epochs=2", "optimizer.learning_rate=0.03", "training.batch_size=32"],
            ["training.epochs=2", "optimizer.learning_rate=0.1", "training.batch_size=8"],
            ["training.epochs=2", "optimizer.learning_rate=0.1", "training.batch_size=16"],
            ["training.epochs=2", "optimizer.learning_rate=0.1", "training.batch_size=32"],
        ])
        #expect(plan.trials.allSatisfy { $0.status == .pending && $0.attempts == 0 })
        #expect(plan.info.parameters == ["optimizer.learning_rate", "training.batch_size"])
        #expect(plan.info.base == "\(Fixtures.examplesFolder)/mlp.yaml")
    }

    @Test func defaultsComeFromTheFileNameAndTheBaseExperiment() throws {
        let plan = try load("base: mlp.yaml\ngrid: {seed: [1, 2]}\n")
        #expect(plan.info.name == "test-sweep")
        #expect(plan.info.metric == .validationAccuracy)
        #expect(plan.info.goal == .maximize)
        #expect(plan.info.use == .best)
        let losses = try load("base: mlp.yaml\nmetric: val_loss\nuse: final\ngrid: {seed: [1, 2]}\n")
        #expect(losses.info.goal == .minimize)
        #expect(losses.info.use == .final)
    }

    @Test func rangesIncludeTheStopAndKeepTheDecimalsWritten() throws {
        func values(_ range: String) throws -> [String] {
            try load("base: mlp.yaml\ngrid:\n  optimizer.learning_rate: {range: \(range)}\n").trials.map { $0.overrides[0] }
                .map { String($0.dropFirst("optimizer.learning_rate=".count)) }
        }
        #expect(try values("{start: 0.1, stop: 0.5, step: 0.1}") == ["0.1", "0.2", "0.3", "0.4", "0.5"])
        #expect(try values("{start: 1, stop: 4, step: 1}") == ["1", "2", "3", "4"])
        #expect(try values("{start: 0.9, stop: 0.5, step: -0.2}") == ["0.9", "0.7", "0.5"])
        #expect(try values("{start: 0.1, stop: 0.35, step: 0.1}") == ["0.1", "0.2", "0.3"])
    }

    @Test func valuesKeepTheirYAMLTypes() throws {
        let plan = try load("""
            base: mlp.yaml
            grid:
              training.early_stopping: [{patience: 3}, null]
              model.input_shape: [[2]]
              dataset.kind: [two_moons, 'circles']
            """)
        #expect(plan.trials.map(\.overrides)[0] == ["training.early_stopping={patience: 3}", "model.input_shape=[2]", "dataset.kind=two_moons"])
        #expect(plan.trials.map(\.overrides)[3] == ["training.early_stopping=", "model.input_shape=[2]", "dataset.kind=circles"])
    }

    @Test func randomDrawsAreReproducibleFromTheSeed() throws {
        let yaml = """
            base: mlp.yaml
            seed: 11
            grid: {training.batch_size: [8, 16]}
            random:
              trials: 3
              parameters:
                optimizer.learning_rate: {distribution: log_uniform, low: 0.001, high: 0.3}
                optimizer.momentum: {distribution: uniform, low: 0.5, high: 0.95}
                model.layers.0.out: {distribution: integer, low: 4, high: 6}
            """
        let first = try load(yaml), second = try load(yaml)
        #expect(first.trials == second.trials)
        #expect(first.trials.count == 6)
        #expect(first.info.parameters == ["training.batch_size", "optimizer.learning_rate", "optimizer.momentum", "model.layers.0.out"])

        // The same draws, by hand: one generator, in trial order, parameters in file order.
        var generator = RandomGenerator(seed: 11)
        for (index, trial) in first.trials.enumerated() {
            let learningRate = exp(generator.uniform(log(0.001), log(0.3)))
            let momentum = generator.uniform(0.5, 0.95)
            let width = 4 + generator.nextInt(below: 3)
            #expect(trial.overrides == ["training.batch_size=\(index < 3 ? 8 : 16)", "optimizer.learning_rate=\(learningRate)",
                                        "optimizer.momentum=\(momentum)", "model.layers.0.out=\(width)"])
            #expect((0.001..<0.3).contains(learningRate) && (0.5..<0.95).contains(momentum))
        }
        let reseeded = try load(yaml.replacingOccurrences(of: "seed: 11", with: "seed: 12"))
        #expect(reseeded.trials.map(\.overrides) != first.trials.map(\.overrides))
    }

    @Test func theShippedSweepIsValid() throws {
        for path in Fixtures.sweepPaths {
            let plan = try SweepLoader.load(contentsOf: path)
            #expect(plan.trials.count >= 4)
            #expect(SweepLoader.isSweepFile(path))
        }
        #expect(Fixtures.sweepPaths.contains { $0.hasSuffix("/sweep-mlp.yaml") })
        #expect(!SweepLoader.isSweepFile("\(Fixtures.examplesFolder)/mlp.yaml"))
    }

    // MARK: - Validation

    @Test(arguments: [
        ("base: mpl.yaml\ngrid: {seed: [1]}\n",
         "sweep.yaml:1:7: error: base: no such experiment file: experiments/mpl.yaml; did you mean 'mlp.yaml'? (relative to the sweep file's folder)"),
        ("base: mlp.yaml\nmetrc: val_loss\ngrid: {seed: [1]}\n",
         "sweep.yaml:2:1: error: metrc: unknown key 'metrc'; did you mean 'metric'? (valid keys: name, base, seed, metric, goal, use, set, grid, random)"),
        ("base: mlp.yaml\ngoal: maximise\ngrid: {seed: [1]}\n",
         "sweep.yaml:2:7: error: goal: unknown value 'maximise'; did you mean 'maximize'? (choices: minimize, maximize)"),
        ("base: mlp.yaml\n",
         "sweep.yaml:1:1: error: a sweep needs a grid or a random section (or both)"),
        ("grid: {seed: [1]}\n",
         "sweep.yaml:1:1: error: missing required key 'base'"),
        ("base: mlp.yaml\ngrid:\n  optimizer.learning_rate: 0.1\n",
         "sweep.yaml:3:28: error: grid.optimizer.learning_rate: expected a non-empty list of values or {range: {start, stop, step}}, got 0.1; a single value for every trial belongs in set"),
        ("base: mlp.yaml\ngrid:\n  seed: []\n",
         "sweep.yaml:3:9: error: grid.seed: expected a non-empty list of values or {range: {start, stop, step}}, got an empty list"),
        ("base: mlp.yaml\ngrid:\n  seed: {rnage: {start: 1, stop: 2, step: 1}}\n",
         "sweep.yaml:3:10: error: grid.seed.rnage: unknown key 'rnage'; did you mean 'range'? (valid keys: range)"),
        ("base: mlp.yaml\ngrid:\n  seed: {range: {start: 1, stop: 5, step: 0}}\n",
         "sweep.yaml:3:43: error: grid.seed.range.step: must not be 0"),
        ("base: mlp.yaml\ngrid:\n  seed: {range: {start: 1, stop: 5}}\n",
         "sweep.yaml:3:17: error: grid.seed.range: missing required key 'step'"),
        ("base: mlp.yaml\ngrid:\n  name: [a, b]\n",
         "sweep.yaml:3:3: error: grid.name: the sweep names each trial (trial-0001, trial-0002, …); name cannot be set or swept"),
        ("base: mlp.yaml\nset: {seed: 1}\ngrid:\n  seed: [1, 2]\n",
         "sweep.yaml:4:3: error: grid.seed: seed is also given in set (line 2); give each key path in one of set, grid and random only"),
        ("base: mlp.yaml\nrandom:\n  trials: 2\n  parameters:\n    optimizer.learning_rate: {distribution: log_uniform, low: 0, high: 1}\n",
         "sweep.yaml:5:63: error: random.parameters.optimizer.learning_rate.low: must be > 0 for a log_uniform distribution; got 0"),
        ("base: mlp.yaml\nrandom:\n  trials: 2\n  parameters:\n    optimizer.momentum: {distribution: uniform, low: 0.9, high: 0.5}\n",
         "sweep.yaml:5:65: error: random.parameters.optimizer.momentum.high: must be > low (0.9); got 0.5"),
        ("base: mlp.yaml\nrandom:\n  trials: 2\n  parameters:\n    training.batch_size: {distribution: integer, low: 8.5, high: 32}\n",
         "sweep.yaml:5:55: error: random.parameters.training.batch_size.low: expected an integer for an integer distribution, got 8.5"),
        ("base: mlp.yaml\nrandom:\n  trials: 2\n  parameters:\n    seed: {distribution: gaussian, low: 1, high: 9}\n",
         "sweep.yaml:5:26: error: random.parameters.seed.distribution: unknown value 'gaussian' (choices: uniform, log_uniform, integer)"),
        ("base: mlp.yaml\nrandom:\n  parameters:\n    seed: {distribution: integer, low: 1, high: 9}\n",
         "sweep.yaml:3:3: error: random: missing required key 'trials'"),
        ("base: mlp.yaml\ngrid:\n  optimizer.learning_rate: [0.1, -0.1]\n",
         "sweep.yaml:3:34: error: optimizer.learning_rate: must be > 0; got -0.1"),
        ("base: mlp.yaml\ngrid:\n  optimiser.learning_rate: [0.1]\n",
         "sweep.yaml:3:3: error: optimiser: unknown key 'optimiser'; did you mean 'optimizer'? (valid keys: name, seed, dataset, model, loss, optimizer, clipping, schedule, training, init_from)"),
        ("base: mlp.yaml\ngrid:\n  model.layers.9.out: [8]\n",
         "sweep.yaml:3:3: error: model.layers.9: model.layers is a list of 5 items; '9' is not the index of one"),
        ("base: mlp.yaml\nrandom:\n  trials: 3\n  parameters:\n    model.layers.0.out: {distribution: integer, low: 0, high: 0}\n",
         "sweep.yaml:5:25: error: model.layers.0.out: must be in [1, 1000000]; got 0"),
        ("base: mlp.yaml\nset: {training.epochs: 0}\ngrid: {seed: [1]}\n",
         "sweep.yaml:2:24: error: training.epochs: must be in [1, 1000000]; got 0"),
        ("base: mlp.yaml\ngrid:\n  optimizer.kind: [sgd, adam]\n",
         "experiments/mlp.yaml:23:3: error: optimizer.momentum: momentum applies to optimizer kind sgd only; this optimizer is adam (in trial-0002, with optimizer.kind=adam)"),
        ("base: mlp.yaml\nmetric: val_loss\ngrid:\n  dataset.validation_fraction: [0.2, 0]\n  training.monitor: [train_loss]\n",
         "sweep.yaml:2:9: error: metric: trial-0002 records no val_loss (its metrics.csv columns: epoch, step, train_loss, train_accuracy, learning_rate, grad_norm)"),
    ])
    func reportsTheProblemWhereTheSweepFileWritesIt(yaml: String, expected: String) {
        #expect(diagnostics(yaml) == [expected])
    }

    @Test func aBadValueSharedByManyTrialsIsReportedOnce() {
        let lines = diagnostics("base: mlp.yaml\ngrid:\n  optimizer.learning_rate: [-1]\n  seed: [1, 2, 3]\n")
        #expect(lines == ["sweep.yaml:3:29: error: optimizer.learning_rate: must be > 0; got -1"])
    }

    @Test func everyProblemOfTheFileIsReportedInOnePass() {
        let lines = diagnostics("base: mlp.yaml\nseed: -1\nuse: last\ngrid:\n  name: [a]\n")
        #expect(lines == [
            "sweep.yaml:2:7: error: seed: must be ≥ 0; got -1",
            "sweep.yaml:3:6: error: use: unknown value 'last'; did you mean 'best'? (choices: best, final)",
            "sweep.yaml:5:3: error: grid.name: the sweep names each trial (trial-0001, trial-0002, …); name cannot be set or swept",
        ])
    }

    @Test func tooManyTrialsAreRefusedBeforeExpanding() {
        let lines = diagnostics("base: mlp.yaml\ngrid:\n  seed: {range: {start: 1, stop: 200, step: 1}}\n  training.batch_size: {range: {start: 1, stop: 100, step: 1}}\n")
        #expect(lines == ["sweep.yaml:2:1: error: the sweep has 20000 trials; at most 10000 are allowed"])
    }

    @Test func theDocsExampleLoads() throws {
        let docs = try String(contentsOfFile: "\(Fixtures.docsFolder)/sweeps.md", encoding: .utf8)
        let start = try #require(docs.range(of: "```yaml\n"))
        let end = try #require(docs.range(of: "```", range: start.upperBound..<docs.endIndex))
        let plan = try load(String(docs[start.upperBound..<end.lowerBound]))
        #expect(plan.trials.count == 12)
        #expect(plan.info.parameters == ["optimizer.learning_rate", "training.batch_size", "optimizer.momentum",
                                         "optimizer.weight_decay", "model.layers.0.out"])
    }

    @Test func docsDescribeEverySweepKey() throws {
        let docs = try String(contentsOfFile: "\(Fixtures.docsFolder)/sweeps.md", encoding: .utf8)
        for section in SweepSchema.sections {
            for key in section.keys {
                #expect(docs.contains("| `\(key.name)` |"), "docs/sweeps.md does not document \(section.path).\(key.name)")
            }
        }
    }

    @Test func integerDistributionBoundsMustBeExactDoubles() {
        let yaml = """
        base: mlp.yaml
        random:
          trials: 2
          parameters:
            seed: {distribution: integer, low: 0, high: 9223372036854775807}
        """
        #expect(diagnostics(yaml) == ["sweep.yaml:5:49: error: random.parameters.seed.high: must lie in [-2^53, 2^53] for an integer distribution; got 9223372036854775807"])
    }
}
