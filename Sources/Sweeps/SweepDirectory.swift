import Baifs
import Foundation
import Runs

/// The folder of one sweep, and the files it holds:
///
///     sweep.yaml          the sweep file as given
///     sweep.json          what the sweep is (SweepInfo): base experiment, metric, parameters
///     manifest.jsonl      one line per trial: id, overrides, status (SweepTrial)
///     summary.csv         the trials ranked by the metric (SweepSummary)
///     trials/ID/          each trial's run directory (the run-directory contract)
///     logs/ID.log         each trial's standard output and error, every attempt
///
/// A sweep directory is never reused: `create` picks a fresh name the way run directories do,
/// so two sweeps started at once under the same folder never share one, and neither do their
/// trials. Every file is written atomically; the manifest is changed under a lock (`.lock`), so
/// that trials run by Slurm array tasks or GNU parallel jobs can record their status at once.
public struct SweepDirectory: Sendable {
    /// The folder: `OUT/NAME` (or `OUT/NAME-2`, …) as created, or the path given to
    /// `init(existing:)` without a trailing slash.
    public let path: String

    /// `sweep.yaml`: the sweep file as given.
    var sweepFilePath: String { file("sweep.yaml") }
    /// `sweep.json`: the ``SweepInfo``.
    var infoPath: String { file("sweep.json") }
    /// `manifest.jsonl`: one ``SweepTrial`` per line.
    var manifestPath: String { file("manifest.jsonl") }
    /// `summary.csv`: the trials ranked by the metric (``SweepSummary``).
    public var summaryPath: String { file("summary.csv") }
    /// `trials/`: the folder of the trials' run directories.
    public var trialsPath: String { file("trials") }
    /// `logs/`: the folder of the trials' logs.
    var logsPath: String { file("logs") }
    var lockPath: String { file(".lock") }

    /// The run directory of trial `id`.
    public func runPath(of id: String) -> String { "\(trialsPath)/\(id)" }
    /// The log of trial `id`.
    public func logPath(of id: String) -> String { "\(logsPath)/\(id).log" }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Creates `OUT/NAME` (or `OUT/NAME-2`, … if taken) for `plan`, with its files and folders:
    /// every trial pending.
    public static func create(for plan: SweepPlan, in outDirectory: String) throws(RunStoreError) -> SweepDirectory {
        let directory = SweepDirectory(path: try RunDirectory.createFreshFolder(in: outDirectory, name: plan.info.name, kind: "sweep"))
        for folder in [directory.trialsPath, directory.logsPath] where mkdir(folder, 0o755) != 0 {
            throw RunStoreError("cannot create \(folder): \(String(cString: strerror(errno))).")
        }
        try directory.write(plan.sweepText, to: directory.sweepFilePath)
        try directory.write(plan.info.json.text(), to: directory.infoPath)
        try directory.writeManifest(plan.trials)
        try directory.writeSummary()
        return directory
    }

    /// An existing sweep directory: one with `sweep.json` and `manifest.jsonl`.
    public init(existing path: String) throws(RunStoreError) {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard FileManager.default.fileExists(atPath: "\(trimmed)/sweep.json"),
              FileManager.default.fileExists(atPath: "\(trimmed)/manifest.jsonl") else {
            throw RunStoreError("\(path) is not a sweep directory: it has no sweep.json and manifest.jsonl.")
        }
        self.path = trimmed
    }

    private init(path: String) {
        self.path = path
    }

    // MARK: - Files

    /// `sweep.json`.
    public func readInfo() throws(RunStoreError) -> SweepInfo {
        guard let data = FileManager.default.contents(atPath: infoPath) else {
            throw RunStoreError("cannot read \(infoPath).")
        }
        return try SweepInfo(jsonText: data, path: infoPath)
    }

    /// The trials of `manifest.jsonl`, in order.
    public func readManifest() throws(RunStoreError) -> [SweepTrial] {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw RunStoreError("cannot read \(manifestPath).")
        }
        var trials: [SweepTrial] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            guard let trial = SweepTrial(jsonLine: line) else {
                throw RunStoreError("\(manifestPath):\(index + 1): not a trial (a JSON object with id, overrides and status).")
            }
            trials.append(trial)
        }
        return trials
    }

    /// Replaces `manifest.jsonl` with `trials`.
    func writeManifest(_ trials: [SweepTrial]) throws(RunStoreError) {
        try write(trials.map { $0.json.compactText() + "\n" }.joined(), to: manifestPath)
    }

    /// Reads the manifest, lets `change` edit it, and writes it back, holding the sweep's lock
    /// so that processes running other trials at once do not undo each other's changes.
    @discardableResult
    public func updateManifest<Result>(_ change: (inout [SweepTrial]) throws(RunStoreError) -> Result) throws(RunStoreError) -> Result {
        try FileLock(path: lockPath).withLock { () throws(RunStoreError) -> Result in
            var trials = try readManifest()
            let result = try change(&trials)
            try writeManifest(trials)
            return result
        }
    }

    /// Runs `body` holding the sweep's lock.
    func withLock<Result>(_ body: () throws(RunStoreError) -> Result) throws(RunStoreError) -> Result {
        try FileLock(path: lockPath).withLock(body)
    }

    func write(_ text: String, to path: String) throws(RunStoreError) {
        do {
            try AtomicFile.write(text, to: path)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError("cannot write \(path): \(FileProblem.reason(error))")
        }
    }
}
