import Baifs
import Foundation
import Yams

/// Loads experiment files: parses the YAML, applies `--set` overrides, validates everything
/// against `ConfigSchema`, fills in the defaults, and generates or reads the data.
///
/// Every problem found in one pass is thrown together as `ConfigErrors`, each located in the
/// file (or the override, or the CSV file) in compiler style.
public enum ExperimentLoader {
    /// What loading reads besides the file.
    public struct Options: Sendable {
        /// Whether the file `init_from` names is read and checked against the model. Resuming a
        /// run does not need it: its parameters come from the run's checkpoint.
        public var readsInitFrom: Bool
        /// Instead of reading or generating the data: what the data would be, to check the model
        /// against. The experiment's datasets are then empty. For inference from a checkpoint,
        /// which carries this, once the training data may be gone.
        public var dataStandIn: DataStandIn?

        /// Options for loading; the defaults read `init_from` and the data, as a run does.
        public init(readsInitFrom: Bool = true, dataStandIn: DataStandIn? = nil) {
            self.readsInitFrom = readsInitFrom
            self.dataStandIn = dataStandIn
        }
    }

    /// The shape of a dataset without its samples: what a model trained on it takes and gives.
    public struct DataStandIn: Sendable, Equatable {
        /// The shape of one sample.
        public var sampleShape: [Int]
        /// The classes, or `nil` for regression.
        public var classes: ClassList?
        /// Target values per sample (regression).
        public var targetWidth: Int

        /// Creates the stand-in for samples of `sampleShape` with the given classes (`nil` for
        /// regression) and, for regression, `targetWidth` target values per sample.
        public init(sampleShape: [Int], classes: ClassList?, targetWidth: Int = 1) {
            self.sampleShape = sampleShape
            self.classes = classes
            self.targetWidth = targetWidth
        }

        /// An empty dataset of this shape.
        var emptyDataset: Dataset {
            Dataset(sampleShape: sampleShape, features: [],
                    targets: classes.map { .classes(labels: [], classCount: $0.count) } ?? .values([], width: targetWidth))
        }
    }

    /// Loads the experiment file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file's path; errors report it as given, and CSV paths are relative to its folder.
    ///   - overrides: `KEY.PATH=VALUE` strings applied in order before validation.
    ///   - options: How much of the data to load and check (see `Options`).
    /// - Throws: `ConfigErrors` with every problem found.
    public static func load(contentsOf path: String, overrides: [String] = [], options: Options = Options()) throws(ConfigErrors) -> Experiment {
        let text = try readText(path, what: "experiment file")
        return try load(yaml: text, path: path, overrides: overrides, options: options)
    }

    /// The most bytes an experiment or sweep file may have: far more than any needs, and little
    /// enough that a wrong path (a disk image, a log) is refused at once.
    public static let fileSizeLimit = 16 << 20

    /// The UTF-8 text of the `what` (`experiment file`, `sweep file`) at `path`.
    ///
    /// - Throws: `ConfigErrors` with one error at line 1 that says why the file cannot be read.
    package static func readText(_ path: String, what: String) throws(ConfigErrors) -> String {
        let reason: String
        do {
            let data = try InputFile.read(path, limit: fileSizeLimit)
            if let text = String(data: data, encoding: .utf8) { return text }
            reason = "it is not UTF-8 text"
        } catch {
            reason = error.reason
        }
        throw ConfigErrors([ConfigError(file: path, line: 1, column: 1, keyPath: "", message: "cannot read the \(what) (\(reason))")])
    }

    /// Loads an experiment from YAML text, as though it were the contents of the file at `path`.
    ///
    /// - Parameters:
    ///   - yaml: The experiment file's text.
    ///   - path: The path errors report, whose folder CSV paths are relative to, and whose base
    ///     name is the default `name`.
    ///   - overrides: `KEY.PATH=VALUE` strings applied in order before validation.
    ///   - options: How much of the data to load and check (see `Options`).
    /// - Throws: `ConfigErrors` with every problem found.
    public static func load(yaml: String, path: String, overrides: [String] = [], options: Options = Options()) throws(ConfigErrors) -> Experiment {
        let diagnostics = ConfigDiagnostics()
        let root = compose(yaml, path: path, diagnostics: diagnostics)
        let parsedOverrides = overrides.compactMap { ConfigOverride(parsing: $0, diagnostics: diagnostics) }
        var experiment: Experiment?
        if var root {
            for override in parsedOverrides { override.apply(to: &root, diagnostics: diagnostics) }
            experiment = ConfigDecoder(path: path, diagnostics: diagnostics, options: options).decode(root)
        }
        guard let experiment, diagnostics.errors.isEmpty else {
            throw ConfigErrors(diagnostics.sorted(mainFile: path))
        }
        return experiment
    }

    /// The override that sets `keyPath` to the string `text` exactly as it is, whatever YAML would
    /// make of it (`*`, `a #b`, `true`, a line break): `keyPath="…"`, double-quoted with escapes.
    public static func stringOverride(_ keyPath: String, _ text: String) -> String {
        var quoted = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                // What YAML does not allow raw in a double-quoted scalar, as an escape.
                switch scalar.value {
                case 0..<0x20, 0x7F...0x9F: quoted += "\\x" + String(format: "%02X", scalar.value)
                case 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: quoted += "\\u" + String(format: "%04X", scalar.value)
                default: quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return "\(keyPath)=\"\(quoted)\""
    }

    /// The path of a data file named in an experiment file: `dataPath` itself if absolute,
    /// otherwise relative to the folder of the experiment file at `experimentPath`.
    public static func resolve(dataPath: String, relativeTo experimentPath: String) -> String {
        guard !dataPath.hasPrefix("/"), let slash = experimentPath.lastIndex(of: "/") else { return dataPath }
        return "\(experimentPath[...slash])\(dataPath)"
    }

    /// Composes `yaml` into a document whose top level is a mapping; reports and returns `nil`
    /// otherwise.
    private static func compose(_ yaml: String, path: String, diagnostics: ConfigDiagnostics) -> ConfigNode? {
        composeMapping(yaml, path: path, diagnostics: diagnostics,
                       whenEmpty: "the experiment file is empty; it needs at least the keys dataset and model",
                       whenNotMapping: "the top level of an experiment file must be a mapping of keys such as dataset and model")
    }

    /// Composes `yaml` (an experiment or sweep file) into a document whose top level is a mapping;
    /// otherwise reports `whenEmpty`, the parser's error, or `whenNotMapping` and what was given,
    /// and returns `nil`.
    package static func composeMapping(_ yaml: String, path: String, diagnostics: ConfigDiagnostics,
                               whenEmpty: String, whenNotMapping: String) -> ConfigNode? {
        let start = ConfigLocation(file: path, line: 1, column: 1)
        let root: ConfigNode
        do {
            guard let node = try ConfigComposer.compose(yaml, file: path) else {
                diagnostics.report(at: start, "", whenEmpty)
                return nil
            }
            root = node
        } catch {
            diagnostics.report(error)
            return nil
        }
        guard root.entries != nil else {
            diagnostics.report(at: start, "", "\(whenNotMapping); got \(root.shown)")
            return nil
        }
        return root
    }

    /// A Yams parse error as a `ConfigError` at the parser's line and column.
    ///
    /// - Parameters:
    ///   - error: The error Yams threw.
    ///   - file: The file the YAML came from.
    ///   - keyPath: The key path to report.
    ///   - position: Maps a mark of the parser to the reported line and column.
    static func yamlError(_ error: any Error, file: String, keyPath: String,
                          position: (Mark) -> (line: Int, column: Int) = { ($0.line, $0.column) }) -> ConfigError {
        func located(_ mark: Mark, _ message: String) -> ConfigError {
            let (line, column) = position(mark)
            return ConfigError(file: file, line: line, column: column, keyPath: keyPath, message: message)
        }
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            let (line, column) = position(context.mark)
            let place = file == ConfigLocation.overrideFile ? "column \(column)" : "line \(line), column \(column)"
            return " (\(context.text) at \(place))"
        }
        switch error as? YamlError {
        case let .scanner(yamlContext, problem, mark, _), let .parser(yamlContext, problem, mark, _),
             let .composer(yamlContext, problem, mark, _):
            return located(mark, "malformed YAML: \(problem)\(context(yamlContext))")
        case let .duplicatedKeysInMapping(duplicates, duplicateContext):
            let keys = duplicates.prefix(5).map { Excerpt.quoted($0) }.joined(separator: ", ")
            return located(duplicateContext.mark, "duplicate key \(keys); a key may appear only once in a mapping")
        case let .reader(problem, _, _, _):
            return ConfigError(file: file, line: 1, column: 1, keyPath: keyPath, message: "cannot read the YAML: \(problem)")
        default:
            return ConfigError(file: file, line: 1, column: 1, keyPath: keyPath, message: "malformed YAML: \(Excerpt.plain("\(error)", limit: 200))")
        }
    }
}
