import ArgumentParser
import Baifs
import Foundation
import Runs
import Sweeps

/// `baifs-run sweep SWEEP.yaml`: expand a grid or random search into trials, run them as child
/// processes, and rank them in summary.csv.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid or random search over an experiment's keys and rank the trials by a metric.",
        discussion: """
        The sweep file is validated, every trial included, before anything is written. The sweep \
        directory (OUT/NAME) gets sweep.yaml, sweep.json, manifest.jsonl (one line per trial: id, \
        overrides, status), summary.csv (the trials ranked by the metric), trials/ (one run directory \
        per trial) and logs/ (each trial's output). Trials run as separate processes, up to --jobs at \
        once; a failed trial is reported and the others go on. The last line on stdout is the sweep \
        directory. Exit codes: 0 every trial completed, 1 a bad sweep file or a failed trial, \
        130 interrupted (continue with --resume). With --emit, the trials are not run: the files to \
        run them with Slurm or GNU parallel are written instead. See docs/sweeps.md.
        """
    )

    @Argument(help: "The sweep file, such as experiments/sweep-mlp.yaml.")
    var sweepFile: String?

    @Option(help: "The most trials to run at once (default 1; with --emit slurm, the array's throttle).")
    var jobs: Int?

    @Option(help: "The folder that the sweep directory goes in.")
    var out = "runs"

    @Option(help: ArgumentHelp("Run the missing, failed and interrupted trials of an existing sweep directory.",
                               valueName: "sweep-directory"))
    var resume: String?

    @Option(help: ArgumentHelp("Write the files that run the trials on an engine (slurm: an sbatch job array; parallel: a GNU parallel job list) instead of running them.",
                               valueName: "engine"))
    var emit: EmitEngine?

    @Flag(help: "Print nothing on standard error but errors (failed trials are errors).")
    var quiet = false

    /// `--emit`'s values.
    enum EmitEngine: String, ExpressibleByArgument, CaseIterable {
        case slurm, parallel

        var engine: SweepScripts.Engine {
            switch self {
            case .slurm: .slurm
            case .parallel: .parallel
            }
        }
    }

    func validate() throws {
        guard (sweepFile == nil) != (resume == nil) else {
            throw ValidationError(sweepFile == nil ? "Give a sweep file, or --resume SWEEP_DIRECTORY." : "Give a sweep file or --resume, not both.")
        }
        // A sweep has at most 10000 trials, so more jobs than that cannot run (and `%N` is written into sbatch files).
        if let jobs, !(1...10_000).contains(jobs) { throw ValidationError("--jobs must be in [1, 10000]; got \(jobs).") }
        if resume != nil && emit != nil {
            throw ValidationError("--emit writes a new sweep directory; to resume one on an engine, submit its files again.")
        }
    }

    func run() throws {
        let prepared = if let resume { try prepareResume(resume) } else { try prepareNewSweep() }
        guard let (directory, trialIDs) = prepared else { return }
        let info = try storeOrFail { () throws(RunStoreError) in try directory.readInfo() }
        let concurrency = jobs ?? 1
        if !quiet && !trialIDs.isEmpty {
            printError("baifs-run: sweep \(info.name): \(trialIDs.count) of \(info.trialCount) trials to run, up to \(concurrency) at once → \(directory.path)")
        }
        SweepInterruption.install(quiet: quiet)
        let runner = SweepRunner(directory: directory, executable: executablePath, jobs: concurrency)
        let progress = SweepProgress(directory: directory, parameters: info.parameters, total: trialIDs.count, quiet: quiet)
        let outcome = try storeOrFail { () throws(RunStoreError) in
            try runner.run(trialIDs, observer: progress, stopRequest: { SweepInterruption.request },
                           relayStop: SweepInterruption.relay(to:))
        }
        try finishSweep(directory, quiet: quiet, interrupted: !outcome.interrupted.isEmpty || !outcome.notStarted.isEmpty)
    }

    /// Validates the sweep file and creates its directory; returns it and every trial to run, or
    /// `nil` once the files of `--emit` are written.
    private func prepareNewSweep() throws -> (SweepDirectory, [String])? {
        guard let sweepFile else { return nil }
        let plan: SweepPlan
        do {
            plan = try SweepLoader.load(contentsOf: sweepFile)
        } catch {
            printError(error.description)
            printError("baifs-run: \(error.summary(file: sweepFile)); nothing was written.")
            throw ExitCode.inputOrRunFailure
        }
        let directory = try storeOrFail { () throws(RunStoreError) in try SweepDirectory.create(for: plan, in: out) }
        if let emit {
            try writeScripts(emit.engine, directory: directory, plan: plan)
            return nil
        }
        return (directory, plan.trials.map(\.id))
    }

    /// The sweep directory of `--resume` and its trials to run, after checking that they still
    /// validate against the base experiment.
    private func prepareResume(_ path: String) throws -> (SweepDirectory, [String])? {
        let (directory, info, trials) = try storeOrFail { () throws(RunStoreError) in
            let directory = try SweepDirectory(existing: path)
            return (directory, try directory.readInfo(), try directory.readManifest())
        }
        let unfinished = directory.unfinishedTrials(trials)
        do {
            try SweepLoader.validate(unfinished, info: info)
        } catch {
            printError(error.description)
            printError("baifs-run: trials of \(directory.path) no longer validate against \(info.base); nothing was run.")
            throw ExitCode.inputOrRunFailure
        }
        if unfinished.isEmpty && !quiet { printError("baifs-run: every trial of \(directory.path) has completed; nothing to run.") }
        return (directory, unfinished.map(\.id))
    }

    private func writeScripts(_ engine: SweepScripts.Engine, directory: SweepDirectory, plan: SweepPlan) throws {
        let written = try storeOrFail { () throws(RunStoreError) in
            try SweepScripts.write(engine, for: directory, name: plan.info.name, executable: executablePath,
                                   trialCount: plan.trials.count, jobs: jobs)
        }
        if !quiet {
            let files = written.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
            let how = switch engine {
            case .slurm: "submit with: \(shellQuoted(directory.path))/submit-slurm.sh (the trials as a job array, then the summary)"
            case .parallel: "run with: parallel --jobs \(jobs ?? 2) < \(shellQuoted(directory.path))/jobs.txt; baifs-run sweep-gather \(shellQuoted(directory.path))"
            }
            printError("baifs-run: wrote \(files) for \(plan.trials.count) trials in \(directory.path); \(how)")
        }
        print(directory.path)
    }
}

/// Runs `body`; prints its error and exits 1 if it throws.
func storeOrFail<Result>(_ body: () throws(RunStoreError) -> Result) throws -> Result {
    do {
        return try body()
    } catch {
        printError("error: \(error.message)")
        throw ExitCode.inputOrRunFailure
    }
}

/// Writes the sweep's summary.csv, says how the sweep ended in one line on standard error,
/// prints the sweep directory as the last line of standard output, and exits 0 if every trial
/// completed, 130 if interrupted, 1 otherwise.
func finishSweep(_ directory: SweepDirectory, quiet: Bool, interrupted: Bool) throws {
    let summary = try storeOrFail { () throws(RunStoreError) in try directory.writeSummary() }
    let total = summary.rows.count
    let completed = summary.completedCount
    let unfinished = summary.rows.filter { $0.rank == nil }
    let summaryNote = "summary: \(directory.summaryPath)"
    if interrupted {
        printError("baifs-run: sweep interrupted with \(completed) of \(total) trials completed; continue with: baifs-run sweep --resume \(shellQuoted(directory.path))")
    } else if !unfinished.isEmpty {
        let listed = unfinished.prefix(5).map { "\($0.trial) \($0.status)" }.joined(separator: ", ") + (unfinished.count > 5 ? ", …" : "")
        printError("baifs-run: \(unfinished.count) of \(total) trials did not complete (\(listed)); \(summaryNote); re-run them with: baifs-run sweep --resume \(shellQuoted(directory.path))")
    } else if !quiet {
        var line = "baifs-run: all \(total) trials completed; \(summaryNote)"
        if let best = summary.rows.first, best.rank == 1 {
            let values = zip(summary.info.parameters, best.parameters).map { "\($0)=\($1)" }.joined(separator: ", ")
            let value = best.metrics[summary.info.metric.rawValue].map { $0.formatted("%.6g") } ?? "—"
            line += "; best \(best.trial)\(values.isEmpty ? "" : " (\(values))") with \(summary.info.use.rawValue) \(summary.info.metric.rawValue) \(value)"
        }
        printError(line)
    }
    print(directory.path)
    if interrupted { throw ExitCode.interrupted }
    if !unfinished.isEmpty { throw ExitCode.inputOrRunFailure }
}
