import ArgumentParser
import Baifs
import Configuration
import Foundation
import Runs

/// `baifs-run [run] EXPERIMENT.yaml`: validate, train, and write a run directory.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train an experiment file into a new run directory (the default command)."
    )

    // Optional to the parser, so that an unknown option is reported as such rather than as a
    // missing file (`baifs-run --bogus` runs this default command); `run()` requires it, since
    // `validate()` runs before the parser looks for unknown options.
    @Argument(help: ArgumentHelp("The experiment file, such as experiments/mlp.yaml.", valueName: "experiment"))
    var experimentArgument: String?

    @OptionGroup var options: ExperimentOptions

    @Option(help: "The folder that holds run directories.")
    var out = "runs"

    @Flag(help: "Print the resolved config (every default filled in) and exit without training.")
    var printConfig = false

    @Flag(help: "Print nothing on standard error but errors.")
    var quiet = false

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var preflight: PreflightOptions

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out needs a folder; got an empty path.") }
    }

    func run() throws {
        guard let experiment = experimentArgument else {
            throw ValidationError("Missing expected argument '<experiment>', the experiment file (such as experiments/mlp.yaml).")
        }
        let loaded: Experiment
        do {
            loaded = try ExperimentLoader.load(contentsOf: experiment, overrides: options.allOverrides)
        } catch {
            printError(error.description)
            printError("baifs-run: \(error.summary(file: experiment)); nothing was written.")
            throw ExitCode.inputOrRunFailure
        }
        if printConfig {
            print(loaded.config.yaml, terminator: "")
            return
        }
        try preflight.check(loaded, quiet: quiet, file: experiment)
        StopRequest.install(quiet: quiet)
        let result: RunResult
        do {
            result = try Runner.start(loaded, experimentPath: experiment, outDirectory: out, threads: threadOptions.threads,
                                      observer: ProgressReporter(quiet: quiet), shouldStop: { StopRequest.isRequested })
        } catch {
            printError(error.description)
            // A run that failed after creating its directory still has it: scripts find it on stdout.
            if let directory = error.runDirectory { print(directory) }
            throw ExitCode.inputOrRunFailure
        }
        try finish(result, quiet: quiet)
    }
}

/// Prints the run directory as the last line of standard output and exits as the status says.
func finish(_ result: RunResult, quiet: Bool) throws {
    if !quiet {
        var line = "baifs-run: \(result.status.rawValue.replacingOccurrences(of: "_", with: " "))"
        if let best = result.best {
            line += "; best epoch \(best.epoch)"
            if let accuracy = best.validationAccuracy { line += ", val_accuracy \(accuracy.formatted("%.4f"))" }
            else if let loss = best.validationLoss { line += ", val_loss \(loss.formatted("%.5g"))" }
        }
        if result.status == .interrupted { line += "; continue with: baifs-run resume \(result.directory.path)" }
        printError(line)
    }
    print(result.directory.path)
    if result.status == .interrupted { throw ExitCode.interrupted }
}
