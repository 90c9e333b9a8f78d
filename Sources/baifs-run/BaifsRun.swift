import ArgumentParser
import Foundation
import Runs

@main
struct BaifsRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baifs-run",
        abstract: "Train baifs models from YAML experiment files, reproducibly.",
        discussion: """
        Runs are written to a new directory under --out (default runs/): config.yaml, metrics.csv,
        checkpoints/, summary.json and timing.json. The last line on stdout is that directory.
        Exit codes: 0 success, 1 bad input or a failed run, 64 bad command-line usage,
        130 interrupted by Ctrl-C (a checkpoint was written; continue with `baifs-run resume`).
        """,
        version: baifsVersion,
        subcommands: [RunCommand.self, CheckCommand.self, ResumeCommand.self, InferCommand.self, PlanCommand.self, GraphCommand.self, PlotCommand.self, ExportCommand.self, SchemaCommand.self, SweepCommand.self, SweepTrialCommand.self, SweepGatherCommand.self, DiffCommand.self, CompareCommand.self, ReportCommand.self],
        defaultSubcommand: RunCommand.self
    )

    static func main() {
        // Past a file size limit (ulimit -f) a write then fails with EFBIG, which is reported as a
        // write error (and the temporary file removed), instead of SIGXFSZ killing the process silently.
        signal(SIGXFSZ, SIG_IGN)
        main(nil)
    }
}
