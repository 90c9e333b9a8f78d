import Baifs
import Configuration

/// The sweep-file format as data, in the terms of `ConfigSchema` (sections of keys with types,
/// defaults and ranges): the reader takes the valid keys and their ranges from here, so that an
/// unknown key's error lists exactly the keys it accepts, and a test checks that
/// `docs/sweeps.md` documents every one of them.
///
/// `grid`, `set` and `random.parameters` are mappings whose keys are key paths of the base
/// experiment (`optimizer.learning_rate`), so they have no fixed keys of their own.
public enum SweepSchema {
    /// The sections of a sweep file, the top level first.
    public static let sections: [ConfigSchema.Section] = [topLevel, random, distribution, range]

    /// The search goals: whether smaller or larger values of the metric rank first.
    public static let goals = SweepGoal.allCases.map(\.rawValue)

    /// The top level of a sweep file.
    static let topLevel = ConfigSchema.Section(
        path: "", noun: "sweep",
        summary: "A sweep file is a YAML mapping. Only `base` is required, and at least one of `grid` and `random`.",
        kindKey: nil, acceptsBareKind: false,
        keys: [
            .init("name", .string, default: .derived("the sweep file's name without its extension"),
                  "The sweep's name; its directory is `OUT/NAME` (or `NAME-2`, … if taken)."),
            .init("base", .string, default: .required,
                  "The experiment file every trial starts from, relative to the sweep file's folder unless absolute."),
            .init("seed", .integer, default: .value("0"), bound: .atLeast(0),
                  "Seeds the random search's draws (not the trials' own seeds)."),
            .init("metric", .choice(Metric.allCases.map(\.rawValue)), default: .derived("the base experiment's `training.monitor`"),
                  "The metrics.csv column that ranks the trials in summary.csv."),
            .init("goal", .choice(goals), default: .derived("`minimize` for losses, `maximize` for accuracies"),
                  "Whether smaller or larger values of `metric` rank first."),
            .init("use", .choice(SweepRow.allCases.map(\.rawValue)), default: .value("best"),
                  "Which row of each trial's summary.json ranks it: the best epoch (by the trial's `training.monitor`) or the final one."),
            .init("set", .section("set"), default: .unset,
                  "Overrides for every trial, `key.path: value`, as `--set key.path=value` would give them."),
            .init("grid", .section("grid"), default: .unset,
                  "The grid search: `key.path: [values]` or `key.path: {range: {start, stop, step}}`; every combination is a trial."),
            .init("random", .section("random"), default: .unset,
                  "The random search: `trials` draws of each parameter's distribution, for each grid point."),
        ],
        example: """
            name: mlp-lr-batch
            base: mlp.yaml
            metric: val_accuracy
            goal: maximize
            set: {training.epochs: 15}
            grid:
              optimizer.learning_rate: [0.03, 0.1, 0.3]
            """)

    /// `random:`.
    static let random = ConfigSchema.Section(
        path: "random", noun: "random search",
        summary: "A number of trials, and one distribution per key path.",
        kindKey: nil, acceptsBareKind: false,
        keys: [
            .init("trials", .integer, default: .required, bound: .closed(1, Double(SweepFile.maximumTrials)),
                  "Draws per grid point (or in all, without a grid)."),
            .init("parameters", .section("random.parameters"), default: .required,
                  "`key.path: {distribution, low, high}`, drawn in this order for each trial."),
        ],
        example: """
            random:
              trials: 8
              parameters:
                optimizer.learning_rate: {distribution: log_uniform, low: 0.001, high: 0.3}
            """)

    /// One entry of `random.parameters`.
    static let distribution = ConfigSchema.Section(
        path: "random.parameters[]", noun: "distribution",
        summary: "A distribution to draw a value from.",
        kindKey: "distribution", acceptsBareKind: false,
        keys: [
            .init("distribution", .choice(SweepDistribution.allCases.map(\.rawValue)), default: .required,
                  "`uniform` in [low, high), `log_uniform` (uniform in log space, low > 0), or `integer` (each integer from low to high, both included, equally likely)."),
            .init("low", .number, default: .required, "The lower end."),
            .init("high", .number, default: .required, "The upper end, greater than `low` (at least `low` for `integer`)."),
        ],
        example: """
            random:
              trials: 4
              parameters:
                model.layers.0.out: {distribution: integer, low: 4, high: 32}
            """)

    /// `range:` inside a grid entry.
    static let range = ConfigSchema.Section(
        path: "grid[].range", noun: "range",
        summary: "The values start, start + step, … up to and including stop (within rounding).",
        kindKey: nil, acceptsBareKind: false,
        keys: [
            .init("start", .number, default: .required, "The first value."),
            .init("stop", .number, default: .required, "The last value, included if a whole number of steps from `start`."),
            .init("step", .number, default: .required,
                  "The difference between values: non-zero, with the sign of `stop − start`. Integers throughout give integer values."),
        ],
        example: """
            grid:
              training.batch_size: {range: {start: 8, stop: 32, step: 8}}
            """)
}

/// Whether smaller or larger values of a sweep's metric are better.
public enum SweepGoal: String, Sendable, CaseIterable {
    /// `goal: minimize`: the smallest value ranks first (the default for losses).
    case minimize
    /// `goal: maximize`: the largest value ranks first (the default for accuracies).
    case maximize
}

/// Which row of a run's `summary.json` a sweep ranks by.
public enum SweepRow: String, Sendable, CaseIterable {
    /// `use: best`: the `best` row, the trial's best epoch by its `training.monitor` (the default).
    case best
    /// `use: final`: the `final` row, the trial's last epoch.
    case final
}

/// How a random search draws a parameter.
public enum SweepDistribution: String, Sendable, CaseIterable {
    /// `uniform`: low + (high − low)·u, for u uniform in [0, 1).
    case uniform
    /// `log_uniform`: exp(ln low + (ln high − ln low)·u), uniform in the logarithm (learning rates).
    case logUniform = "log_uniform"
    /// `integer`: low + k, for k uniform in 0…(high − low).
    case integer
}
