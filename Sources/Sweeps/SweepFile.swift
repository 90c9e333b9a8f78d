import Baifs
import Configuration

/// A sweep file, read and checked: the base experiment, the values each swept key path takes,
/// and how the trials are ranked. `SweepLoader` reads it, expands it into trials and validates
/// every trial against the base experiment.
///
/// ```yaml
/// name: mlp-lr-batch
/// base: mlp.yaml
/// metric: val_accuracy
/// goal: maximize
/// set: {training.epochs: 15}
/// grid:
///   optimizer.learning_rate: [0.03, 0.1, 0.3]
///   training.batch_size: {range: {start: 8, stop: 32, step: 24}}
/// random:
///   trials: 2
///   parameters:
///     optimizer.momentum: {distribution: uniform, low: 0.5, high: 0.95}
/// ```
struct SweepFile: Sendable {
    /// A value given to a key path of the base experiment, with where the sweep file says so.
    struct Assignment: Sendable, Equatable {
        /// The key path in the base experiment, such as `optimizer.learning_rate`.
        var keyPath: String
        /// The value as YAML on one line, as `--set` takes it.
        var value: String
        /// Where the key path is written.
        var keyLocation: ConfigLocation
        /// Where the value is written (a list item, a range, or a distribution).
        var valueLocation: ConfigLocation

        /// The override, `key.path=value`.
        var override: String { "\(keyPath)=\(value)" }
    }

    /// One key path of the grid and its values, in the order given.
    struct GridParameter: Sendable {
        var keyPath: String
        var keyLocation: ConfigLocation
        /// Each value's one-line YAML and location.
        var values: [(text: String, location: ConfigLocation)]
    }

    /// One key path of the random search and its distribution.
    struct RandomParameter: Sendable {
        var keyPath: String
        var keyLocation: ConfigLocation
        /// Where the distribution's mapping is written.
        var location: ConfigLocation
        var distribution: SweepDistribution
        var low: Double
        var high: Double
    }

    /// The sweep file's path as given.
    var path: String
    var name: String
    /// The base experiment's path, relative to the current folder (or absolute).
    var basePath: String
    var seed: UInt64
    /// The ranking metric, if given.
    var metric: Metric?
    /// Where `metric` is written, or the start of the file.
    var metricLocation: ConfigLocation
    var goal: SweepGoal?
    var use: SweepRow
    /// `set:`, in order.
    var fixed: [Assignment]
    /// `grid:`, in order: the first key path varies slowest.
    var grid: [GridParameter]
    /// Draws per grid point; 0 without a random search.
    var randomTrials: Int
    /// `random.parameters`, in the order they are drawn.
    var random: [RandomParameter]

    /// The most trials a sweep may have.
    static let maximumTrials = 10_000

    /// The swept key paths, grid first, in order.
    var parameterKeyPaths: [String] {
        grid.map(\.keyPath) + random.map(\.keyPath)
    }

    /// The number of trials: every grid point, times the random draws per point.
    /// (`Int.max` if that overflows).
    var trialCount: Int {
        var count = max(1, randomTrials)
        for parameter in grid {
            let (product, overflow) = count.multipliedReportingOverflow(by: parameter.values.count)
            count = overflow ? .max : product
        }
        return count
    }
}
