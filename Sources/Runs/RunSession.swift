import Baifs
import Configuration
import Foundation

/// One invocation of training on a run directory: builds the solver from the config and writes
/// the run's files as epochs end.
final class RunSession {
    let directory: RunDirectory
    let experiment: Experiment
    let model: any Module
    let configHash: String
    let metricColumns: [String]
    let threads: Int
    private let started = Date()
    /// Checkpoints due (best, periodic) but not yet written, without their history: it is the
    /// first `epochs` entries of the solver's, filled in when they are written.
    private var pendingCheckpoints: [(labels: [String], checkpoint: Checkpoint, epochs: Int)] = []
    /// `metrics.csv`, open for appending once this invocation has written it whole.
    private var metricsFile: AppendingFile?
    private var lastFlush = DispatchTime.now().uptimeNanoseconds
    private var lastFlushNanoseconds: UInt64 = 0
    /// The run's TensorBoard events (`training.tensorboard`), opened when training starts.
    private var tensorBoard: TensorBoardEventFile?
    /// The last step the run's event files hold already; a resumed run writes only later ones.
    private var lastTensorBoardStep = -1

    init(directory: RunDirectory, experiment: Experiment, model: any Module, configText: String, threads: Int) {
        self.threads = threads
        self.directory = directory
        self.experiment = experiment
        self.model = model
        self.configHash = Runner.configHash(configText)
        self.metricColumns = RunDirectory.metricColumns(classification: experiment.training.isClassification,
                                                         validation: experiment.validation.count > 0)
    }

    /// The solver of the config, at the start of training.
    private func makeSolver() -> Solver {
        let config = experiment.config
        return Solver(
            model: model, loss: config.loss, optimizer: config.optimizer.makeOptimizer(), clipping: config.clipping.gradientClipping,
            schedule: config.schedule.learningRateSchedule(epochs: config.training.epochs),
            configuration: TrainingConfiguration(epochs: config.training.epochs, batchSize: config.training.batchSize,
                                                 shuffle: config.training.shuffle, monitor: config.training.monitor,
                                                 earlyStopping: config.training.earlyStopping),
            generator: RandomStream.shuffling.generator(seed: config.seed), threads: threads)
    }

    /// Trains the (initial) model from the start to the end of `epoch`, writing nothing, and
    /// returns the checkpoint the run wrote then: training is deterministic.
    func replay(toEpoch epoch: Int) throws(RunStoreError) -> Checkpoint {
        let solver = makeSolver()
        var saved: Checkpoint?
        do {
            _ = try solver.train(training: experiment.training, validation: experiment.validation) { event in
                guard case .epochEnded(let metrics, _) = event, metrics.epoch == epoch else { return .proceed }
                saved = self.checkpoint(solver)
                return .stop
            }
        } catch {
            throw RunStoreError("cannot rebuild \(directory.checkpointPath("best")): training again to epoch \(epoch) failed: \(error.description)")
        }
        guard let saved else {
            throw RunStoreError("cannot rebuild \(directory.checkpointPath("best")): training again did not reach epoch \(epoch).")
        }
        return saved
    }

    func run(observer: RunObserver?, shouldStop: @escaping () -> Bool, resumingFrom saved: SolverState? = nil) throws(RunError) -> RunResult {
        let config = experiment.config
        let solver = makeSolver()
        if let saved {
            let batches = (experiment.training.count + config.training.batchSize - 1) / config.training.batchSize
            guard saved.completedEpochs <= config.training.epochs, saved.batchesDoneInEpoch < batches else {
                throw .checkpoint(CheckpointError("\(directory.checkpointPath("last")): the checkpoint is at epoch \(saved.completedEpochs), batch \(saved.batchesDoneInEpoch), beyond this run's \(config.training.epochs) epochs of \(batches) batches; it is not this run's checkpoint."))
            }
            do {
                try solver.restore(saved)
            } catch {
                throw .checkpoint(CheckpointError("\(directory.checkpointPath("last")): \(error)"))
            }
        }
        let resumedEpochs = solver.state.completedEpochs
        if saved == nil {
            // The parameters before the first step, kept as initial.json; and a starting point to
            // resume from, should the run be killed before its first epoch ends.
            do {
                try directory.writeCheckpoint(checkpoint(solver), labels: ["initial", "last"])
                try writeSummary(solver: solver, status: .running)
            } catch {
                throw failedWriting(error, solver: solver, fromEpoch: resumedEpochs)
            }
        }
        if config.training.tensorBoard {
            do {
                // A resumed run skips the steps its earlier event files hold; a new run has none.
                if saved != nil { lastTensorBoardStep = TensorBoardEventFile.lastSummaryStep(in: directory.tensorBoardPath) ?? -1 }
                tensorBoard = try TensorBoardEventFile(directory: directory.tensorBoardPath)
            } catch {
                throw .store(error)
            }
        }
        observer?.runStarted(directory: directory, experiment: experiment, model: model, resumedEpochs: resumedEpochs)

        var storeError: RunStoreError?
        let outcome: TrainingOutcome
        do throws(TrainingError) {
            outcome = try solver.train(training: experiment.training, validation: experiment.validation) { event in
                switch event {
                case .stepEnded(let epoch, let batch, let batches, let loss):
                    observer?.stepEnded(epoch: epoch, batch: batch, batches: batches, loss: loss)
                    return shouldStop() ? .stop : .proceed
                case .epochEnded(let metrics, let isBest):
                    do throws(RunStoreError) {
                        try self.writeEpochFiles(solver: solver, metrics: metrics, isBest: isBest)
                    } catch {
                        storeError = error
                        return .stop
                    }
                    observer?.epochEnded(metrics, isBest: isBest, totalEpochs: config.training.epochs)
                    return shouldStop() ? .stop : .proceed
                }
            }
        } catch {
            try? flush(solver: solver, status: .failed)
            try? writeTiming(status: RunStatus.failed.rawValue, fromEpoch: resumedEpochs, toEpoch: solver.state.completedEpochs)
            throw .training(error, directory: directory.path)
        }
        if let storeError {
            try? flush(solver: solver, status: .failed)
            throw failedWriting(storeError, solver: solver, fromEpoch: resumedEpochs)
        }

        let status: RunStatus = switch outcome {
        case .completed: .completed
        case .stoppedEarly: .stoppedEarly
        case .interrupted: .interrupted
        }
        do {
            // Everything due (best.json, which the test set reads, among it), and `last.json`
            // exactly where training stands (mid-epoch, if it was interrupted there), so that
            // resume goes on from here.
            try flush(solver: solver, status: status)
        } catch {
            throw failedWriting(error, solver: solver, fromEpoch: resumedEpochs)
        }
        // The test set, once, at the end: with the final parameters and with the best epoch's.
        var testEvaluation: TestEvaluation?
        if outcome != .interrupted, let test = experiment.test {
            var bestParameters: [[Double]]?
            if solver.state.bestEpoch != nil {
                do {
                    let best = try Checkpoint.read(contentsOf: directory.checkpointPath("best"))
                    let byName = Dictionary(best.parameters.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
                    bestParameters = model.namedParameters.map { byName[$0.name] ?? $0.parameter.values }
                } catch {
                    throw .checkpoint(CheckpointError("\(error.message) The test set is evaluated with the best checkpoint's parameters."))
                }
            }
            testEvaluation = solver.evaluateTest(test, bestParameters: bestParameters)
        }
        do {
            if let testEvaluation {
                if let last = solver.state.history.last { try writeTensorBoardTest(testEvaluation, step: last.step) }
                try writeSummary(solver: solver, status: status, test: testEvaluation)
            }
            try writeTiming(status: status.rawValue, fromEpoch: resumedEpochs, toEpoch: solver.state.completedEpochs)
        } catch {
            throw failedWriting(error, solver: solver, fromEpoch: resumedEpochs)
        }
        return RunResult(directory: directory, status: status, final: solver.state.history.last, best: solver.bestMetrics)
    }

    /// The error for a write that failed, after marking the run failed in `summary.json` and
    /// `timing.json` if they can still be written, so that it is not left `running`.
    private func failedWriting(_ error: RunStoreError, solver: Solver, fromEpoch: Int) -> RunError {
        try? writeSummary(solver: solver, status: .failed)
        try? writeTiming(status: RunStatus.failed.rawValue, fromEpoch: fromEpoch, toEpoch: solver.state.completedEpochs)
        return .write(error, directory: directory.path)
    }

    private func checkpoint(_ solver: Solver) -> Checkpoint {
        Checkpoint(configHash: configHash, model: model, solverState: solver.state, normalization: experiment.normalization,
                   input: CheckpointInput(experiment: experiment))
    }

    /// After each epoch: its row of `metrics.csv`, its TensorBoard scalars, and the periodic and
    /// best checkpoints it makes due. Those, `curves.svg`, the summary and `last.json` (last of all,
    /// so that a run killed at any point resumes from a complete epoch) are written together by
    /// `flush`, at most as often as `flushIsDue` allows: each of them grows with the history, and
    /// writing them every epoch made an epoch's cost grow with the epoch count. A run killed
    /// between flushes resumes from the last one and computes the same epochs again, bit for bit.
    private func writeEpochFiles(solver: Solver, metrics: EpochMetrics, isBest: Bool) throws(RunStoreError) {
        var labels: [String] = []
        let every = experiment.config.training.checkpointEvery
        if every > 0 && metrics.epoch % every == 0 { labels.append(String(format: "epoch-%04d", metrics.epoch)) }
        if isBest {
            // A newer best replaces one not yet written.
            pendingCheckpoints = pendingCheckpoints.map { ($0.labels.filter { $0 != "best" }, $0.checkpoint, $0.epochs) }
            labels.append("best")
        }
        if !labels.isEmpty {
            var saved = checkpoint(solver)
            saved.solverState.history = []
            pendingCheckpoints.append((labels, saved, solver.state.history.count))
        }
        if let metricsFile {
            try directory.appendMetrics(metrics, columns: metricColumns, to: metricsFile)
        } else {
            // The first epoch of this invocation: the whole file, which also drops any rows a killed
            // run wrote after the checkpoint it resumes from; then it stays open for the next rows.
            try directory.writeMetrics(solver.state.history, columns: metricColumns)
            metricsFile = try AppendingFile(path: directory.metricsPath)
        }
        try writeTensorBoardScalars(metrics)
        if flushIsDue() { try flush(solver: solver) }
    }

    /// Whether enough time has passed since the last flush: a second, and fifty times as long as
    /// that flush took, so that flushing takes at most 2% of a run however long its history.
    private func flushIsDue() -> Bool {
        let elapsed = DispatchTime.now().uptimeNanoseconds - lastFlush
        return elapsed >= 1_000_000_000 && elapsed >= 50 * lastFlushNanoseconds
    }

    /// Writes `curves.svg`, the summary (with `status`), the due checkpoints and, last, `last.json`.
    private func flush(solver: Solver, status: RunStatus = .running) throws(RunStoreError) {
        let start = DispatchTime.now().uptimeNanoseconds
        if !solver.state.history.isEmpty {
            try directory.writeCurves(solver.state.history, columns: metricColumns, name: experiment.config.name)
        }
        try writeSummary(solver: solver, status: status)
        let current = checkpoint(solver)
        var lastWritten = false
        for (index, pending) in pendingCheckpoints.enumerated() where !pending.labels.isEmpty {
            var saved = pending.checkpoint
            saved.solverState.history = Array(solver.state.history.prefix(pending.epochs))
            // The newest one, when training has not moved since, is `last.json` too: one text for
            // both, and `last` still written after the others.
            let isCurrent = index == pendingCheckpoints.count - 1 && saved == current
            try directory.writeCheckpoint(saved, labels: pending.labels + (isCurrent ? ["last"] : []))
            lastWritten = lastWritten || isCurrent
        }
        pendingCheckpoints = []
        if !lastWritten { try directory.writeCheckpoint(current, labels: ["last"]) }
        lastFlush = DispatchTime.now().uptimeNanoseconds
        lastFlushNanoseconds = lastFlush - start
    }

    /// The epoch's metrics as TensorBoard scalars at the run's global step (those it measures).
    private func writeTensorBoardScalars(_ metrics: EpochMetrics) throws(RunStoreError) {
        guard let tensorBoard, metrics.step > lastTensorBoardStep else { return }
        var values: [(tag: String, value: Double)] = [("loss/train", metrics.trainLoss)]
        if let value = metrics.validationLoss { values.append(("loss/validation", value)) }
        if let value = metrics.trainAccuracy { values.append(("accuracy/train", value)) }
        if let value = metrics.validationAccuracy { values.append(("accuracy/validation", value)) }
        values += [("learning_rate", metrics.learningRate), ("grad_norm", metrics.gradientNorm)]
        try tensorBoard.appendScalars(values, step: metrics.step)
        lastTensorBoardStep = metrics.step
    }

    /// The test set's evaluation as TensorBoard scalars at the last step: `loss/test` and
    /// `accuracy/test` with the final parameters, `loss/test_best` and `accuracy/test_best` with
    /// the best epoch's.
    private func writeTensorBoardTest(_ test: TestEvaluation, step: Int) throws(RunStoreError) {
        guard let tensorBoard else { return }
        var values: [(tag: String, value: Double)] = [("loss/test", test.final.loss)]
        if let accuracy = test.final.accuracy { values.append(("accuracy/test", accuracy)) }
        if let best = test.best {
            values.append(("loss/test_best", best.loss))
            if let accuracy = best.accuracy { values.append(("accuracy/test_best", accuracy)) }
        }
        try tensorBoard.appendScalars(values, step: step)
    }

    /// `summary.json`; `test` is the test set's evaluation once training has ended (`null` before,
    /// and without a test set).
    private func writeSummary(solver: Solver, status: RunStatus, test: TestEvaluation? = nil) throws(RunStoreError) {
        let config = experiment.config
        let summary = JSONValue.object([
            ("name", .string(config.name)),
            ("status", .string(status.rawValue)),
            ("monitor", .string(config.training.monitor.rawValue)),
            ("epochs", .integer(Int64(config.training.epochs))),
            ("epochs_completed", .integer(Int64(solver.state.completedEpochs))),
            ("steps", .integer(Int64(solver.state.step))),
            ("parameter_count", .integer(Int64(model.parameterCount))),
            ("config_hash", .string(configHash)),
            ("final", solver.state.history.last.map(metricsJSON) ?? .null),
            ("best", solver.bestMetrics.map(metricsJSON) ?? .null),
            ("test", test.map { test in
                .object([("final", evaluationJSON(test.final)), ("best", test.best.map(evaluationJSON) ?? .null)])
            } ?? .null),
        ])
        try directory.writeFile(summary.text(), to: directory.summaryPath)
    }

    /// `timing.json`: one entry per invocation (a resumed run has several), and the machine.
    private func writeTiming(status: String, fromEpoch: Int, toEpoch: Int) throws(RunStoreError) {
        let finished = Date()
        var sessions: [JSONValue] = []
        if let data = FileManager.default.contents(atPath: directory.timingPath),
           let previous = try? JSONDecoder().decode(TimingFile.self, from: data) {
            sessions = previous.sessions.map(\.json)
        }
        let wall = finished.timeIntervalSince(started)
        sessions.append(TimingFile.Session(startedAt: iso8601(started), finishedAt: iso8601(finished),
                                           wallSeconds: wall, firstEpoch: fromEpoch + 1, lastEpoch: toEpoch, status: status).json)
        let total = sessions.reduce(0.0) { sum, session in
            if case .object(let members) = session, let wall = members.first(where: { $0.0 == "wall_seconds" }), case .number(let seconds) = wall.1 {
                return sum + seconds
            }
            return sum
        }
        let timing = JSONValue.object([
            ("wall_seconds", .number(total)),
            ("sessions", .array(sessions)),
            ("machine", .object([
                ("host", .string(hostName)),
                ("cpu", .string(cpuModel())),
                ("cores", .integer(Int64(processorCount))),
                ("memory_bytes", .unsignedInteger(ProcessInfo.processInfo.physicalMemory)),
                ("os", .string(ProcessInfo.processInfo.operatingSystemVersionString)),
            ])),
            ("versions", .object([
                ("baifs", .string(baifsVersion)),
                ("swift", .string(swiftVersion)),
            ])),
        ])
        try directory.writeFile(timing.text(), to: directory.timingPath)
    }
}

/// `{"loss", "accuracy"}` (accuracy `null` for regression).
private func evaluationJSON(_ evaluation: Evaluation) -> JSONValue {
    .object([("loss", .number(evaluation.loss)), ("accuracy", .optional(evaluation.accuracy))])
}

/// The version of baifs that wrote a run.
public let baifsVersion = "0.1.0"

/// The Swift language version baifs was compiled with.
let swiftVersion: String = {
    #if swift(>=6.3)
    "6.3 or later"
    #elseif swift(>=6.2)
    "6.2"
    #elseif swift(>=6.1)
    "6.1"
    #else
    "6.0"
    #endif
}()

/// The processor's model name, from the first "model name" line of `/proc/cpuinfo`.
private func cpuModel() -> String {
    // The kernel formats /proc/cpuinfo as it is read, one processor's block at a time: reading a
    // kilobyte at a time and stopping at the first "model name" line formats only the first block.
    // The bytes are searched one by one (generic sequence algorithms here cost runtime conformance
    // lookups in a short process).
    let descriptor = open("/proc/cpuinfo", O_RDONLY)
    guard descriptor >= 0 else { return "unknown" }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 16_384)
    var filled = 0
    var lineStart = 0
    let key: [UInt8] = Array("model name".utf8)
    let (newline, colon, space, tab) = (UInt8(ascii: "\n"), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"))
    while filled < bytes.count {
        let read = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + filled, min(1_024, $0.count - filled)) }
        guard read > 0 else { break }
        filled += read
        // Every whole line read so far and not yet looked at.
        while true {
            var lineEnd = lineStart
            while lineEnd < filled && bytes[lineEnd] != newline { lineEnd += 1 }
            guard lineEnd < filled else { break }
            var matches = lineEnd - lineStart >= key.count
            var index = 0
            while matches && index < key.count {
                matches = bytes[lineStart + index] == key[index]
                index += 1
            }
            if matches {
                var start = lineStart
                while start < lineEnd && bytes[start] != colon { start += 1 }
                start += 1
                var end = lineEnd
                while start < end && (bytes[start] == space || bytes[start] == tab) { start += 1 }
                while end > start && (bytes[end - 1] == space || bytes[end - 1] == tab) { end -= 1 }
                return start < end ? String(decoding: bytes[start..<end], as: UTF8.self) : "unknown"
            }
            lineStart = lineEnd + 1
        }
    }
    return "unknown"
}

/// `date` in UTC as ISO 8601, `2026-11-30T14:03:58Z` (what ISO8601DateFormatter gives, for a
/// fraction of its cost).
private func iso8601(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
        _ = strftime(buffer.baseAddress!, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(cString: buffer.baseAddress!)
    }
}

/// The part of `timing.json` that is read back, to append a session.
private struct TimingFile: Decodable {
    struct Session: Decodable {
        var startedAt: String
        var finishedAt: String
        var wallSeconds: Double
        var firstEpoch: Int
        var lastEpoch: Int
        var status: String

        enum CodingKeys: String, CodingKey {
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case wallSeconds = "wall_seconds"
            case firstEpoch = "first_epoch"
            case lastEpoch = "last_epoch"
            case status
        }

        var json: JSONValue {
            .object([
                ("started_at", .string(startedAt)), ("finished_at", .string(finishedAt)), ("wall_seconds", .number(wallSeconds)),
                ("first_epoch", .integer(Int64(firstEpoch))), ("last_epoch", .integer(Int64(lastEpoch))), ("status", .string(status)),
            ])
        }
    }

    var sessions: [Session]
}
