import Baifs
import Configuration
import Foundation

/// A run directory read back for comparison: its resolved configuration as key paths, its
/// summary's final, best and test metrics, its `metrics.csv`, and (on request) the parameters of
/// its last checkpoint.
public struct RunRecord: Sendable {
    /// The final or best row of `summary.json`.
    public struct SummaryRow: Sendable, Equatable {
        /// The row's `epoch` (1-based), if it has one.
        public var epoch: Int?
        /// Every metric of the row, by `metrics.csv` column name.
        public var metrics: [String: Double]
    }

    /// The test set's evaluation of `summary.json`: the metrics (`loss`, `accuracy`) of the final
    /// parameters and, when the run kept a best checkpoint, of the best ones.
    public struct TestMetrics: Sendable, Equatable {
        /// `test.final`: the metrics with the parameters training ended with.
        public var final: [String: Double]
        /// `test.best`: the metrics with `best.json`'s parameters; `nil` without a best checkpoint.
        public var best: [String: Double]?

        /// The evaluation with `final`'s and `best`'s metrics.
        public init(final: [String: Double], best: [String: Double]?) {
            self.final = final
            self.best = best
        }
    }

    /// The run directory as given.
    public let path: String
    /// The config's `name`.
    public let name: String
    /// `config.yaml` flattened: `optimizer.learning_rate` → `0.1`, lists of scalars as one value
    /// (`model.input_shape` → `[2]`), lists of mappings by index (`model.layers.0.type`). File
    /// paths (`dataset.path`, `init_from`) are resolved from the run directory, so that runs at
    /// different depths compare equal.
    public let config: [(keyPath: String, value: String)]
    /// `summary.json`'s `status`, if it has a summary.
    public let status: String?
    /// `summary.json`'s `final` row (the last epoch trained), if it has one.
    public let final: SummaryRow?
    /// `summary.json`'s `best` row (the best epoch by `training.monitor`), if it has one.
    public let best: SummaryRow?
    /// `summary.json`'s `test` object, if the run evaluated a test set.
    public let test: TestMetrics?
    /// The header of `metrics.csv` (`epoch`, `step`, `train_loss`, …); empty without the file.
    public let metricColumns: [String]
    /// The rows of `metrics.csv` after the header, one per epoch, their cells as written (exact numbers).
    public let metricRows: [[String]]
    /// The parameters of `checkpoints/last.json`, when read with `parameters: true` and present.
    public let parameters: [Checkpoint.NamedParameter]?

    /// The config's value at `keyPath`, if it has one.
    public func configValue(_ keyPath: String) -> String? {
        config.first { $0.keyPath == keyPath }?.value
    }

    /// Reads the run directory at `path`.
    ///
    /// - Parameters:
    ///   - path: The run directory.
    ///   - readParameters: Whether to read `checkpoints/last.json`'s parameters too.
    /// - Throws: `RunStoreError` if `path` is not a run directory or a file is malformed.
    public static func read(_ path: String, parameters readParameters: Bool = false) throws(RunStoreError) -> RunRecord {
        let directory = try RunDirectory(existing: path)
        guard let configText = try? String(contentsOfFile: directory.configPath, encoding: .utf8) else {
            throw RunStoreError("cannot read \(directory.configPath).")
        }
        let config: [(keyPath: String, value: String)]
        do {
            guard let node = try ConfigNode.composed(yaml: configText, file: directory.configPath) else {
                throw RunStoreError("\(directory.configPath) is empty.")
            }
            config = node.leaves().map { leaf in
                // Paths in a run's config.yaml are relative to the run directory; show them from here.
                guard leaf.keyPath == "dataset.path" || leaf.keyPath == "init_from", !leaf.value.hasPrefix("/") else { return leaf }
                return (leaf.keyPath, relativePath(to: "\(directory.path)/\(leaf.value)", from: FileManager.default.currentDirectoryPath))
            }
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError("\(directory.configPath) is not YAML: \(error)")
        }
        let name = config.first { $0.keyPath == "name" }?.value ?? URL(fileURLWithPath: directory.path).lastPathComponent

        let summary = try RunSummaryFile.read(runPath: directory.path)
        let status = summary?.status
        let final = summary?.final.map(RunSummaryFile.split).map { SummaryRow(epoch: $0.epoch, metrics: $0.metrics) }
        let best = summary?.best.map(RunSummaryFile.split).map { SummaryRow(epoch: $0.epoch, metrics: $0.metrics) }
        let test = summary?.test.flatMap { test in
            test["final"].flatMap { $0 }.map { final in
                TestMetrics(final: final.compactMapValues { $0 }, best: test["best"].flatMap { $0 }?.compactMapValues { $0 })
            }
        }

        var columns: [String] = [], rows: [[String]] = []
        if let text = try? String(contentsOfFile: directory.metricsPath, encoding: .utf8) {
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            columns = lines.first ?? []
            rows = Array(lines.dropFirst())
        }

        var parameters: [Checkpoint.NamedParameter]?
        if readParameters, FileManager.default.fileExists(atPath: directory.checkpointPath("last")) {
            do {
                parameters = stateDictionaryOrder(try Checkpoint.read(contentsOf: directory.checkpointPath("last")).parameters,
                                                  configPath: directory.configPath)
            } catch {
                throw RunStoreError(error.message)
            }
        }
        return RunRecord(path: directory.path, name: name, config: config, status: status, final: final, best: best, test: test,
                         metricColumns: columns, metricRows: rows, parameters: parameters)
    }

    /// `parameters` in the order of the model the config builds (PyTorch's `state_dict` order),
    /// or by name if the config no longer loads.
    private static func stateDictionaryOrder(_ parameters: [Checkpoint.NamedParameter],
                                             configPath: String) -> [Checkpoint.NamedParameter] {
        var order: [String: Int] = [:]
        if let experiment = try? ExperimentLoader.load(contentsOf: configPath) {
            var generator = RandomGenerator(seed: 0)
            for (index, entry) in experiment.config.model.makeNetwork(generator: &generator).namedParameters.enumerated() {
                order[entry.name] = index
            }
        }
        return parameters.sorted { a, b in
            switch (order[a.name], order[b.name]) {
            case let (x?, y?): x < y
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a.name < b.name
            }
        }
    }
}
