import ArgumentParser
import Inspection
import Runs

/// `baifs-run resume RUN_DIR`: continue an interrupted run from its last checkpoint.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run from its last checkpoint; it ends as if never interrupted.",
        discussion: "A run that has already finished is left as it is. Like a new run, a resumed one is refused, before anything is trained, if it would need more memory than --memory-limit (default: the physical memory)."
    )

    @Argument(help: "The run directory, such as runs/mlp.")
    var runDirectory: String

    @Flag(help: "Print nothing on standard error but errors.")
    var quiet = false

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var memory: MemoryLimitOptions

    func run() throws {
        StopRequest.install(quiet: quiet)
        let result: RunResult
        do {
            // The machine may have less memory than the one the run started on.
            result = try Runner.resume(runDirectory, threads: threadOptions.threads, observer: ProgressReporter(quiet: quiet),
                                       shouldStop: { StopRequest.isRequested }) { experiment, configPath in
                memory.problem(ModelPlan.measured(experiment, experimentPath: configPath), of: experiment, file: configPath)
            }
        } catch {
            printError(error.description)
            // A run that failed while training still has its directory: scripts find it on stdout.
            if let directory = error.runDirectory { print(directory) }
            throw ExitCode.inputOrRunFailure
        }
        try finish(result, quiet: quiet)
    }
}
