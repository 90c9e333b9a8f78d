import Baifs
import Configuration
import Foundation

/// What the runner reports while it trains, for whoever shows progress (the CLI).
public protocol RunObserver: AnyObject {
    /// Training is about to start (or resume after `resumedEpochs` completed epochs).
    func runStarted(directory: RunDirectory, experiment: Experiment, model: any Module, resumedEpochs: Int)
    /// A batch was trained on.
    func stepEnded(epoch: Int, batch: Int, batches: Int, loss: Double)
    /// An epoch ended and its files were written.
    func epochEnded(_ metrics: EpochMetrics, isBest: Bool, totalEpochs: Int)
}

/// How a run ended: the `status` of its `summary.json` (the raw value) and `timing.json`.
public enum RunStatus: String, Sendable {
    /// Training is under way, or its process died before it could say how it ended.
    case running
    /// Every one of the `training.epochs` epochs was trained.
    case completed
    /// Early stopping ended training: `training.monitor` did not improve for
    /// `training.early_stopping.patience` epochs.
    case stoppedEarly = "stopped_early"
    /// Stopped on request (Ctrl-C, SIGTERM, its sweep gone) after writing `last.json`;
    /// `baifs-run resume` continues it.
    case interrupted
    /// Training stopped with an error (a NaN loss, say); the files hold the run up to it.
    case failed
}

/// The outcome of `Runner.start` or `Runner.resume`.
public struct RunResult: Sendable {
    /// The run directory trained in.
    public var directory: RunDirectory
    /// How training ended.
    public var status: RunStatus
    /// The metrics of the last epoch trained.
    var final: EpochMetrics?
    /// The metrics of the best epoch by `training.monitor` (the epoch of `best.json`), if any.
    public var best: EpochMetrics?
}

/// Why a run could not start or go on.
public enum RunError: Error, CustomStringConvertible, Sendable {
    /// The run's `config.yaml` does not load (resume, inference).
    case config(ConfigErrors)
    /// The run directory cannot be created, locked or read (or another process trains in it).
    case store(RunStoreError)
    /// A checkpoint (`last.json`, `best.json`, the one given to `infer`) is unreadable, damaged or
    /// not this run's.
    case checkpoint(CheckpointError)
    /// Training stopped with an error (a NaN loss, say) in the run directory `directory`, whose
    /// files hold the run up to it and are marked failed.
    case training(TrainingError, directory: String)
    /// Writing a file of the run in `directory` failed (a full disk, say); the run is marked failed.
    case write(RunStoreError, directory: String)

    /// The error as printed: one line per problem, control characters (from a path, say) escaped.
    public var description: String {
        if case .config(let errors) = self { return errors.description }
        let line = switch self {
        case .config: ""
        case .store(let error): "error: \(error.message)"
        case .checkpoint(let error): "error: \(error.message)"
        case .training(let error, let directory): "error: \(error.description) The run so far is in \(directory)."
        case .write(let error, let directory):
            "error: \(error.message)\(error.message.hasSuffix(".") ? "" : ";") training stopped. The run so far is in \(directory)."
        }
        return Excerpt.escapingControlCharacters(line)
    }

    /// The run directory, when the run got as far as creating it.
    public var runDirectory: String? {
        switch self {
        case .training(_, let directory), .write(_, let directory): directory
        case .config, .store, .checkpoint: nil
        }
    }
}

/// Trains experiments into run directories: builds the model and solver from the config, writes
/// `config.yaml`, `metrics.csv`, checkpoints, `summary.json` and `timing.json`, and resumes runs
/// from their last checkpoint so that they end bit-identical to uninterrupted ones.
///
/// Random draws come from the three `RandomStream`s of the config's seed: the data (drawn by
/// `ExperimentLoader`), the initial parameters, and the shuffling, so that changing one (say, the
/// number of samples) leaves the others as they were.
public enum Runner {
    /// Trains `experiment` (loaded from `experimentPath`) in a new run directory under `outDirectory`.
    /// `threads` only changes the speed: results are bit-identical for any number.
    public static func start(_ experiment: Experiment, experimentPath: String, outDirectory: String, threads: Int = 1,
                             observer: RunObserver?, shouldStop: @escaping () -> Bool) throws(RunError) -> RunResult {
        let model = initialModel(experiment)
        let directory: RunDirectory
        let lock: RunDirectoryLock
        do {
            directory = try RunDirectory.create(in: outDirectory, name: experiment.config.name)
            lock = try RunDirectoryLock.acquire(directory.path)
        } catch {
            throw .store(error)
        }
        defer { withExtendedLifetime(lock) {} }
        let configText = portableConfig(experiment.config, experimentPath: experimentPath, runDirectory: directory.path).yaml
        let session = RunSession(directory: directory, experiment: experiment, model: model, configText: configText, threads: threads)
        do {
            try directory.writeFile(configText, to: directory.configPath)
        } catch {
            throw .write(error, directory: directory.path)
        }
        return try session.run(observer: observer, shouldStop: shouldStop)
    }

    /// The model a run starts from: initialised from the seed's stream, then given the parameters
    /// of `init_from`, which the loader read (and checked against the model) if the config has one.
    static func initialModel(_ experiment: Experiment) -> any Module {
        var initialization = RandomStream.initialization.generator(seed: experiment.config.seed)
        let model = experiment.makeModel(generator: &initialization)
        experiment.initialParameters?.load(into: model)
        return model
    }

    /// Continues the run in `path` from its `last.json` checkpoint, or from its start if it was
    /// killed before writing one (training is deterministic, so it ends the same either way).
    /// A run that another live process trains (it holds the `RunDirectoryLock`) is refused.
    ///
    /// A missing `best.json` is rewritten first (from `last.json` or `epoch-NNNN.json` when they
    /// hold the best epoch, else by training again from the start up to it); a damaged one is an error.
    ///
    /// `check` looks at the run's experiment (and the path of its `config.yaml`) before anything is
    /// trained, as `baifs-run` checks that a run fits in memory: a problem it returns is thrown as
    /// `.config`, and the run is left as it is.
    public static func resume(_ path: String, threads: Int = 1, observer: RunObserver?, shouldStop: @escaping () -> Bool,
                              check: (Experiment, _ configPath: String) -> ConfigError? = { _, _ in nil }) throws(RunError) -> RunResult {
        let directory: RunDirectory
        let lock: RunDirectoryLock
        do {
            directory = try RunDirectory(existing: path)
            // Refuse, rather than wait for, a live owner: it may train for hours.
            lock = try RunDirectoryLock.acquire(directory.path)
        } catch {
            throw .store(error)
        }
        defer { withExtendedLifetime(lock) {} }
        // Only now: a live owner's temporary files are not stale.
        directory.removeStaleTemporaryFiles()
        let experiment: Experiment
        do {
            // The parameters come from the checkpoint, not from init_from.
            experiment = try ExperimentLoader.load(contentsOf: directory.configPath, options: .init(readsInitFrom: false))
        } catch {
            throw .config(error)
        }
        if let problem = check(experiment, directory.configPath) { throw .config(ConfigErrors([problem])) }
        let configText = (try? String(contentsOfFile: directory.configPath, encoding: .utf8)) ?? ""
        guard FileManager.default.fileExists(atPath: directory.checkpointPath("last")) else {
            // Killed before its first checkpoint: nothing trained is lost by starting over, from the
            // same parameters, so `init_from` is read again (its file must still be there).
            let start: Experiment
            do {
                start = experiment.config.initFrom == nil ? experiment : try ExperimentLoader.load(contentsOf: directory.configPath)
            } catch {
                throw .config(error)
            }
            let model = initialModel(start)
            let session = RunSession(directory: directory, experiment: experiment, model: model, configText: configText, threads: threads)
            return try session.run(observer: observer, shouldStop: shouldStop)
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.read(contentsOf: directory.checkpointPath("last"))
        } catch {
            throw .checkpoint(CheckpointError("\(error.message) Nothing was resumed; the run can continue from its last epoch once checkpoints/last.json is intact (or deleted, to train it again from the start)."))
        }
        guard checkpoint.configHash == configHash(configText) else {
            throw .checkpoint(CheckpointError("\(directory.configPath) has changed since \(directory.checkpointPath("last")) was written; resume needs the config the run was trained with."))
        }
        try restoreBest(directory: directory, experiment: experiment, configText: configText, last: checkpoint, threads: threads)
        var initialization = RandomStream.initialization.generator(seed: experiment.config.seed)
        let model = experiment.makeModel(generator: &initialization)
        do {
            try checkpoint.load(into: model)
        } catch {
            throw .checkpoint(CheckpointError("\(directory.checkpointPath("last")): \(error.message)"))
        }
        let session = RunSession(directory: directory, experiment: experiment, model: model, configText: configText, threads: threads)
        return try session.run(observer: observer, shouldStop: shouldStop, resumingFrom: checkpoint.solverState)
    }

    /// Checks `best.json` before a resume: a damaged one is an error; a missing one (of a run
    /// that has a best epoch) is rewritten from the checkpoint that holds that epoch, or by
    /// training again from the start up to it, bit-identical to the one the run wrote.
    static func restoreBest(directory: RunDirectory, experiment: Experiment, configText: String, last: Checkpoint,
                            threads: Int) throws(RunError) {
        let bestPath = directory.checkpointPath("best")
        if FileManager.default.fileExists(atPath: bestPath) {
            do {
                _ = try Checkpoint.read(contentsOf: bestPath)
            } catch {
                throw .checkpoint(CheckpointError("\(error.message) Nothing was resumed; delete \(bestPath) to have it rewritten."))
            }
            return
        }
        guard let bestEpoch = last.solverState.bestEpoch else { return }
        do {
            if last.epoch == bestEpoch && last.solverState.batchesDoneInEpoch == 0 {
                try AtomicFile.copy(from: directory.checkpointPath("last"), to: bestPath)
                return
            }
            let periodic = directory.checkpointPath(String(format: "epoch-%04d", bestEpoch))
            if (try? Checkpoint.read(contentsOf: periodic)) != nil {
                try AtomicFile.copy(from: periodic, to: bestPath)
                return
            }
        } catch let error as RunStoreError {
            throw .store(error)
        } catch {
            throw .store(RunStoreError("cannot write \(bestPath): \(error.localizedDescription)"))
        }
        let model = initialModel(experiment)
        let session = RunSession(directory: directory, experiment: experiment, model: model, configText: configText, threads: threads)
        do {
            try session.replay(toEpoch: bestEpoch).write(to: bestPath)
        } catch {
            throw .store(error)
        }
    }

    /// `sha256:` and the SHA-256 of a config's text.
    public static func configHash(_ text: String) -> String {
        "sha256:" + sha256Hex(Array(text.utf8))
    }

    /// The config as stored in a run directory: file paths rewritten relative to that directory, so
    /// that `config.yaml` loads from where it is.
    static func portableConfig(_ config: ExperimentConfig, experimentPath: String, runDirectory: String) -> ExperimentConfig {
        var portable = config
        func moved(_ path: String?) -> String? {
            path.map { relativePath(to: ExperimentLoader.resolve(dataPath: $0, relativeTo: experimentPath), from: runDirectory) }
        }
        portable.dataset.path = moved(config.dataset.path)
        if config.dataset.kind == .npy && config.dataset.path == nil {
            portable.dataset.featureArray = moved(config.dataset.featureArray)
            portable.dataset.targetArray = moved(config.dataset.targetArray)
        }
        portable.dataset.images = moved(config.dataset.images)
        portable.dataset.labels = moved(config.dataset.labels)
        portable.dataset.testImages = moved(config.dataset.testImages)
        portable.dataset.testLabels = moved(config.dataset.testLabels)
        if let initFrom = config.initFrom {
            portable.initFrom = relativePath(to: ExperimentLoader.resolve(dataPath: initFrom, relativeTo: experimentPath), from: runDirectory)
        }
        return portable
    }
}

/// The path of `target` relative to the folder `directory` (both taken from the current folder).
func relativePath(to target: String, from directory: String) -> String {
    let targetParts = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
    let directoryParts = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
    var common = 0
    while common < min(targetParts.count, directoryParts.count) && targetParts[common] == directoryParts[common] { common += 1 }
    let ups = Array(repeating: "..", count: directoryParts.count - common)
    return (ups + targetParts[common...]).joined(separator: "/")
}
