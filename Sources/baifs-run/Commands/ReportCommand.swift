import ArgumentParser
import Inspection
import Runs

/// `baifs-run report RUN... | SWEEP -o report.html`: one self-contained HTML page of runs or a sweep.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page of runs (curves, differing config, metrics) or of a sweep.",
        discussion: """
        Runs: their learning curves overlaid (click a run to hide it, hover for values, log scale for \
        the loss), then the config keys that differ and the final, best and test metrics side by \
        side, one column per run. One sweep directory: a parallel-coordinates plot of the swept keys against the metric \
        (drag along an axis to filter), the trials ranked in a sortable table, and the best trial's \
        curves. Several sweeps, or sweeps among runs, stand for their trials' runs. The page needs \
        nothing else: no network, no files beside it. The output is a new file or a regular file \
        outside the runs and sweeps read (never a link, a directory or a device), replaced \
        atomically; - writes to standard output. Exit codes: 0 written, 1 a missing or malformed \
        run or sweep, or an output path that is refused.
        """
    )

    @Argument(help: ArgumentHelp("Run directories, or one sweep directory.", valueName: "run-or-sweep"))
    var runs: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The HTML file to write, or - for standard output.", valueName: "report.html"))
    var output: String

    @Option(help: "The page's title (default: the sweep's name, or the run or the number of runs).")
    var title: String?

    func run() throws {
        let report = try storeOrFail { () throws(RunStoreError) in try HTMLReport(arguments: runs, title: title) }
        if output == "-" {
            print(report.html, terminator: "")
            return
        }
        try storeOrFail { () throws(RunStoreError) in
            try ReportOutputFile(output, inputs: report.inputDirectories).write(report.html)
        }
        print(output)
    }
}
