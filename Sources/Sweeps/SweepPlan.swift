import Baifs
import Configuration
import Foundation
import Runs

/// What a sweep is, as its directory's `sweep.json` records it: enough to run, resume and
/// summarise its trials without the sweep file.
///
/// ```json
/// {
///   "format_version": 1,
///   "name": "sweep-mlp",
///   "sweep_file": "experiments/sweep-mlp.yaml",
///   "base": "/home/me/baifs/experiments/mlp.yaml",
///   "metric": "val_accuracy",
///   "goal": "maximize",
///   "use": "best",
///   "parameters": ["optimizer.learning_rate", "training.batch_size"],
///   "trials": 6
/// }
/// ```
public struct SweepInfo: Sendable, Equatable {
    /// The version of this layout; readers refuse others.
    public static let formatVersion = 1

    /// The sweep's `name` (by default the sweep file's name without its extension); the sweep
    /// directory is `OUT/NAME`.
    public var name: String
    /// The sweep file's path as it was given.
    public var sweepFile: String
    /// The base experiment's absolute path, so that trials run from any folder (Slurm, ssh).
    public var base: String
    /// The ranking metric.
    public var metric: Metric
    /// Whether smaller or larger values of `metric` rank first.
    public var goal: SweepGoal
    /// Which row of each trial's summary.json ranks it.
    public var use: SweepRow
    /// The swept key paths, grid first, in order: the parameter columns of summary.csv.
    public var parameters: [String]
    /// The number of trials.
    public var trialCount: Int

    /// The document written to `sweep.json`.
    public var json: JSONValue {
        .object([
            ("format_version", .integer(Int64(Self.formatVersion))),
            ("name", .string(name)),
            ("sweep_file", .string(sweepFile)),
            ("base", .string(base)),
            ("metric", .string(metric.rawValue)),
            ("goal", .string(goal.rawValue)),
            ("use", .string(use.rawValue)),
            ("parameters", .array(parameters.map(JSONValue.string))),
            ("trials", .integer(Int64(trialCount))),
        ])
    }

    /// Reads `sweep.json`'s text; the problem in a sentence if it is not one.
    init(jsonText data: Data, path: String) throws(RunStoreError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RunStoreError("\(path) is not a JSON object.")
        }
        guard let version = object["format_version"] as? Int, version == Self.formatVersion else {
            throw RunStoreError("\(path): sweep format \(object["format_version"] ?? "missing") is not supported; this baifs reads format \(Self.formatVersion).")
        }
        guard let name = object["name"] as? String, let sweepFile = object["sweep_file"] as? String,
              let base = object["base"] as? String,
              let metric = (object["metric"] as? String).flatMap(Metric.init(rawValue:)),
              let goal = (object["goal"] as? String).flatMap(SweepGoal.init(rawValue:)),
              let use = (object["use"] as? String).flatMap(SweepRow.init(rawValue:)),
              let parameters = object["parameters"] as? [String], let trialCount = object["trials"] as? Int else {
            throw RunStoreError("\(path) is missing keys of a sweep (name, sweep_file, base, metric, goal, use, parameters, trials).")
        }
        self.init(name: name, sweepFile: sweepFile, base: base, metric: metric, goal: goal, use: use,
                  parameters: parameters, trialCount: trialCount)
    }

    /// The info with these values, one per key of `sweep.json`.
    init(name: String, sweepFile: String, base: String, metric: Metric, goal: SweepGoal, use: SweepRow,
                parameters: [String], trialCount: Int) {
        self.name = name
        self.sweepFile = sweepFile
        self.base = base
        self.metric = metric
        self.goal = goal
        self.use = use
        self.parameters = parameters
        self.trialCount = trialCount
    }
}

/// A sweep file expanded into its trials and validated: what `SweepDirectory.create` writes.
public struct SweepPlan: Sendable {
    /// What `sweep.json` will record.
    public var info: SweepInfo
    /// Every trial, pending, in order.
    public var trials: [SweepTrial]
    /// The sweep file's text, kept in the sweep directory as `sweep.yaml`.
    public var sweepText: String
}
