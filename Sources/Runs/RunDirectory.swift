import Baifs
import Configuration
import Foundation

/// The folder of one run, and the files it holds:
///
///     config.yaml          the resolved config
///     metrics.csv          one row per epoch
///     curves.svg           the learning curves of metrics.csv
///     checkpoints/*.json   epoch-NNNN.json every N epochs, best.json, last.json
///     summary.json         final and best metrics
///     timing.json          wall-clock times and machine: the only file that differs between two runs
///     tensorboard/         TensorBoard event files (wall times too, so outside the byte-identity contract)
///
/// Every file is written atomically. A run directory is never reused: `create` picks a fresh name.
public struct RunDirectory: Sendable {
    /// The folder: `OUT/NAME` (or `OUT/NAME-2`, …) as created, or the path given to
    /// `init(existing:)` without a trailing slash.
    public let path: String

    var configPath: String { file("config.yaml") }
    var metricsPath: String { file("metrics.csv") }
    var summaryPath: String { file("summary.json") }
    var timingPath: String { file("timing.json") }
    var checkpointsPath: String { file("checkpoints") }
    /// TensorBoard's event files, one per invocation of training.
    public var tensorBoardPath: String { file("tensorboard") }

    /// The checkpoint file called `label` (`best`, `last`, `epoch-0005`).
    public func checkpointPath(_ label: String) -> String { "\(checkpointsPath)/\(label).json" }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Creates `OUT/NAME`, or `OUT/NAME-2`, `OUT/NAME-3`, … if taken. Creating a directory is atomic,
    /// so two runs started at once never share one.
    public static func create(in outDirectory: String, name: String) throws(RunStoreError) -> RunDirectory {
        let path = try createFreshFolder(in: outDirectory, name: name, kind: "run")
        guard mkdir("\(path)/checkpoints", 0o755) == 0 else {
            throw RunStoreError("cannot create \(path)/checkpoints: \(String(cString: strerror(errno))).")
        }
        return RunDirectory(path: path)
    }

    /// Creates and returns `OUT/NAME`, or the first free of `OUT/NAME-2`, `OUT/NAME-3`, …, with
    /// `NAME` made file-name-safe. mkdir(2) fails on an existing folder, so two processes never get
    /// the same one. `kind` ("run", "sweep") names the folder in errors.
    package static func createFreshFolder(in outDirectory: String, name: String, kind: String) throws(RunStoreError) -> String {
        let safeName = sanitized(name)
        do {
            try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        } catch {
            throw RunStoreError("cannot create the output folder \(outDirectory): \(FileProblem.reason(error))")
        }
        for attempt in 1...10_000 {
            let candidate = "\(outDirectory)/\(attempt == 1 ? safeName : "\(safeName)-\(attempt)")"
            if mkdir(candidate, 0o755) == 0 { return candidate }
            guard errno == EEXIST else {
                throw RunStoreError("cannot create the \(kind) folder \(candidate): \(String(cString: strerror(errno))).")
            }
        }
        throw RunStoreError("every name from \(safeName) to \(safeName)-10000 is taken in \(outDirectory).")
    }

    /// An existing run directory (for resume and inference).
    public init(existing path: String) throws(RunStoreError) {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        guard FileManager.default.fileExists(atPath: "\(trimmed)/config.yaml") else {
            throw RunStoreError("\(path) is not a run directory: it has no config.yaml.")
        }
        self.path = trimmed
    }

    private init(path: String) {
        self.path = path
    }

    /// Removes the temporary files (`.NAME.tmp-PID`) that a run killed while writing left behind.
    public func removeStaleTemporaryFiles() {
        for folder in [path, checkpointsPath] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
                try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
            }
        }
    }

    /// A file-name-safe form of a run name: letters, digits, `.`, `_` and `-`; others become `-`.
    package static func sanitized(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let mapped = String(name.map { allowed.contains($0) ? $0 : "-" })
        return mapped.isEmpty || mapped.allSatisfy({ $0 == "." }) ? "run" : mapped
    }
}

// MARK: - Files

extension RunDirectory {
    /// The columns of `metrics.csv`: fixed before training from the task and whether there is
    /// validation data. Accuracy columns appear for classification only.
    public static func metricColumns(classification: Bool, validation: Bool) -> [String] {
        var columns = ["epoch", "step", "train_loss"]
        if classification { columns.append("train_accuracy") }
        if validation { columns.append("val_loss") }
        if classification && validation { columns.append("val_accuracy") }
        return columns + ["learning_rate", "grad_norm"]
    }

    /// `metrics.csv` for `history`, rewritten whole so that a resumed run holds exactly the epochs
    /// of its checkpoint and those after.
    public func writeMetrics(_ history: [EpochMetrics], columns: [String]) throws(RunStoreError) {
        let lines = [columns.joined(separator: ",")] + history.map { Self.metricsLine($0, columns: columns) }
        try writeFile(lines.joined(separator: "\n") + "\n", to: metricsPath)
    }

    /// Adds one epoch's row to the end of `metrics.csv` (which `writeMetrics` began), open in
    /// `file`, in one write: a run killed at any moment leaves whole rows, and resume rewrites the
    /// file from its checkpoint anyway. Unlike rewriting, its cost does not grow with the epochs.
    func appendMetrics(_ metrics: EpochMetrics, columns: [String], to file: AppendingFile) throws(RunStoreError) {
        try file.append(Self.metricsLine(metrics, columns: columns) + "\n")
    }

    /// One row of `metrics.csv`.
    static func metricsLine(_ metrics: EpochMetrics, columns: [String]) -> String {
        columns.map { column in
            switch column {
            case "epoch": String(metrics.epoch)
            case "step": String(metrics.step)
            case "learning_rate": formatNumber(metrics.learningRate)
            case "grad_norm": formatNumber(metrics.gradientNorm)
            default: Metric(rawValue: column).flatMap { metrics.value(of: $0) }.map(formatNumber) ?? ""
            }
        }.joined(separator: ",")
    }

    /// Writes `checkpoint` under each of `labels`: serialised once, then copied.
    public func writeCheckpoint(_ checkpoint: Checkpoint, labels: [String]) throws(RunStoreError) {
        guard let first = labels.first else { return }
        try checkpoint.write(to: checkpointPath(first))
        for label in labels.dropFirst() {
            do {
                try AtomicFile.copy(from: checkpointPath(first), to: checkpointPath(label))
            } catch let error as RunStoreError {
                throw error
            } catch {
                throw RunStoreError("cannot write \(checkpointPath(label)): \(error.localizedDescription)")
            }
        }
    }

    func writeFile(_ text: String, to path: String) throws(RunStoreError) {
        do {
            try AtomicFile.write(text, to: path)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError("cannot write \(path): \(FileProblem.reason(error))")
        }
    }
}
