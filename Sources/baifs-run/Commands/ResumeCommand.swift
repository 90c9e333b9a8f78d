import ArgumentParser
import Runs

/// `baifs-run resume RUN_DIR`: continue an interrupted run from its last checkpoint.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run from its last checkpoint; it ends as if never interrupted.",
        discussion: "A run that has already finished is left as it is."
    )

    @Argument(help: "The run directory, such as runs/mlp.")
    var runDirectory: String

    @Flag(help: "Print nothing on standard error but errors.")
    var quiet = false

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        StopRequest.install(quiet: quiet)
        let result: RunResult
        do {
            result = try Runner.resume(runDirectory, threads: threadOptions.threads, observer: ProgressReporter(quiet: quiet), shouldStop: { StopRequest.isRequested })
        } catch {
            printError(error.description)
            // A run that failed while training still has its directory: scripts find it on stdout.
            if let directory = error.runDirectory { print(directory) }
            throw ExitCode.inputOrRunFailure
        }
        try finish(result, quiet: quiet)
    }
}
