import Baifs
import Configuration
import Foundation
import Runs

/// Loads sweep files: reads and checks the YAML against `SweepSchema`, expands the grid and the
/// random search into trials, and validates every trial by loading the base experiment with the
/// trial's overrides, before anything runs, so that a bad sweep writes nothing.
///
/// Problems are thrown together as `ConfigErrors` in compiler style. A problem with a trial's
/// value is reported where the sweep file writes that value (the list item, the range, the
/// distribution); a problem the value causes elsewhere in the base experiment is reported there,
/// naming the trial.
public enum SweepLoader {
    /// The most errors reported for the trials; the rest are counted.
    static let errorLimit = 20

    /// Whether the file at `path` is a sweep file rather than an experiment file: YAML whose top
    /// level has the key `base`, which experiment files do not have.
    public static func isSweepFile(_ path: String) -> Bool {
        guard let text = try? ExperimentLoader.readText(path, what: "sweep file"),
              let node = try? ConfigNode.composed(yaml: text, file: path), let entries = node.entries else { return false }
        return entries.contains { $0.key == "base" }
    }

    /// Loads the sweep file at `path`.
    public static func load(contentsOf path: String) throws(ConfigErrors) -> SweepPlan {
        try load(yaml: ExperimentLoader.readText(path, what: "sweep file"), path: path)
    }

    /// Loads a sweep from YAML text, as though it were the contents of the file at `path` (whose
    /// folder `base` is relative to).
    public static func load(yaml: String, path: String) throws(ConfigErrors) -> SweepPlan {
        let diagnostics = ConfigDiagnostics()
        guard let root = compose(yaml, path: path, diagnostics: diagnostics),
              let file = SweepFile.read(root, path: path, diagnostics: diagnostics) else {
            throw ConfigErrors(diagnostics.sorted(mainFile: path))
        }
        let trials = file.expandedTrials()
        guard let ranking = validate(file, trials: trials, diagnostics: diagnostics), diagnostics.errors.isEmpty else {
            throw ConfigErrors(diagnostics.sorted(mainFile: path))
        }
        let info = SweepInfo(name: file.name, sweepFile: path, base: URL(fileURLWithPath: file.basePath).standardizedFileURL.path,
                             metric: ranking.metric, goal: ranking.goal, use: file.use,
                             parameters: file.parameterKeyPaths, trialCount: trials.count)
        let pending = trials.enumerated().map { index, assignments in
            SweepTrial(id: SweepFile.trialID(index + 1), overrides: assignments.map(\.override))
        }
        return SweepPlan(info: info, trials: pending, sweepText: yaml)
    }

    /// Checks that the trials of an existing sweep still load against its base experiment (the
    /// base may have changed since the sweep was created), before a resume runs them.
    public static func validate(_ trials: [SweepTrial], info: SweepInfo) throws(ConfigErrors) {
        var errors: [ConfigError] = []
        for trial in trials {
            do {
                _ = try ExperimentLoader.load(contentsOf: info.base, overrides: trial.overrides)
            } catch {
                errors += error.errors.map { error in
                    var located = error
                    located.message += " (\(trial.id): \(trial.overrides.joined(separator: ", ")))"
                    return located
                }
            }
            if errors.count >= errorLimit { break }
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }

    // MARK: - Validation

    /// Loads the base experiment with each trial's overrides, reports every problem, and checks
    /// the ranking metric against the trials' metrics.csv columns.
    ///
    /// - Returns: The metric and goal (filled in from the defaults), or `nil` if a problem was reported.
    private static func validate(_ file: SweepFile, trials: [[SweepFile.Assignment]],
                                 diagnostics: ConfigDiagnostics) -> (metric: Metric, goal: SweepGoal)? {
        // The base with `set` alone first: its problems are the same for every trial.
        do {
            _ = try ExperimentLoader.load(contentsOf: file.basePath, overrides: file.fixed.map(\.override))
        } catch {
            for problem in error.errors { diagnostics.report(locate(problem, in: file.fixed, trial: nil)) }
            return nil
        }
        var reported = Set<String>()
        var hidden = 0
        var metric = file.metric
        var metricProblem: String?
        for (index, assignments) in trials.enumerated() {
            let id = SweepFile.trialID(index + 1)
            do {
                let experiment = try ExperimentLoader.load(contentsOf: file.basePath, overrides: assignments.map(\.override))
                metric = metric ?? experiment.config.training.monitor
                let columns = RunDirectory.metricColumns(classification: experiment.training.isClassification,
                                                         validation: experiment.validation.count > 0)
                if let metric, !columns.contains(metric.rawValue), metricProblem == nil {
                    metricProblem = "\(id) records no \(metric.rawValue) (its metrics.csv columns: \(columns.joined(separator: ", ")))"
                }
            } catch {
                for problem in error.errors {
                    // The same bad value shows up in many trials: report it once.
                    guard reported.insert(problem.file == ConfigLocation.overrideFile
                                          ? locate(problem, in: assignments, trial: nil).description : problem.description).inserted
                    else { continue }
                    if reported.count > errorLimit {
                        hidden += 1
                        continue
                    }
                    let swept = Array(assignments.dropFirst(file.fixed.count))
                    diagnostics.report(locate(problem, in: assignments, trial: (id, swept)))
                }
            }
        }
        if hidden > 0 {
            diagnostics.report(ConfigError(file: file.path, line: 1, column: 1, keyPath: "",
                                           message: "\(hidden) more error\(hidden == 1 ? "" : "s") in other trials not shown"))
        }
        guard diagnostics.errors.isEmpty, let metric else { return nil }
        if let metricProblem {
            diagnostics.report(at: file.metricLocation, "metric", metricProblem)
            return nil
        }
        return (metric, file.goal ?? (metric.isMinimized ? .minimize : .maximize))
    }

    /// `error`, found while loading the base experiment with `assignments`, located in the sweep
    /// file when it is about one of them.
    ///
    /// An error in an override (file `--set`) is about the last assignment whose key path is a
    /// prefix of the error's, or has it as a prefix: it is moved to that assignment's key (when
    /// its column is in the key path) or value. Any other error is in the base experiment or its
    /// data; it is left there, and names the trial whose values caused it.
    static func locate(_ error: ConfigError, in assignments: [SweepFile.Assignment],
                       trial: (id: String, swept: [SweepFile.Assignment])?) -> ConfigError {
        guard error.file == ConfigLocation.overrideFile else {
            guard let trial else { return error }
            var located = error
            let values = trial.swept.map(\.override).joined(separator: ", ")
            located.message += " (in \(trial.id)\(values.isEmpty ? "" : ", with \(values)"))"
            return located
        }
        let errorPath = error.keyPath.split(separator: ".")
        let match = assignments.last { assignment in
            let path = assignment.keyPath.split(separator: ".")
            return path.starts(with: errorPath) || errorPath.starts(with: path)
        }
        guard let match else { return error }
        let location = error.column <= match.keyPath.unicodeScalars.count ? match.keyLocation : match.valueLocation
        return ConfigError(file: location.file, line: location.line, column: location.column, keyPath: error.keyPath,
                           message: error.message)
    }

    /// Composes `yaml` into a document whose top level is a mapping; reports and returns `nil`
    /// otherwise.
    private static func compose(_ yaml: String, path: String, diagnostics: ConfigDiagnostics) -> ConfigNode? {
        ExperimentLoader.composeMapping(yaml, path: path, diagnostics: diagnostics,
                                        whenEmpty: "the sweep file is empty; it needs at least the key base and a grid or random section",
                                        whenNotMapping: "the top level of a sweep file must be a mapping of keys such as base and grid")
    }
}
