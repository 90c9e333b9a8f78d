import ArgumentParser
import Runs
import Sweeps

/// `baifs-run sweep-gather SWEEP_DIR`: write a sweep's summary.csv from its trials.
struct SweepGatherCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-gather",
        abstract: "Write a sweep's summary.csv from its trials' run directories (after Slurm or GNU parallel ran them).",
        discussion: "The last line on stdout is the sweep directory. Exits 0 if every trial completed, 1 otherwise (naming the trials that did not)."
    )

    @Argument(help: "The sweep directory, such as runs/sweep-mlp.")
    var sweepDirectory: String

    @Flag(help: "Print nothing on standard error but errors.")
    var quiet = false

    func run() throws {
        let directory = try storeOrFail { () throws(RunStoreError) in try SweepDirectory(existing: sweepDirectory) }
        try finishSweep(directory, quiet: quiet, interrupted: false)
    }
}
