import ArgumentParser
import Inspection
import Runs

/// `baifs-run compare RUN...`: many runs in one table.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print one table of many runs (or a sweep's trials): the config keys that vary, and the final and best metrics.",
        discussion: """
        Each argument is a run directory or a sweep directory (for its trials). Columns: run, every \
        config key whose value is not the same in all runs, status if it varies, then final.METRIC, \
        best.epoch and best.METRIC. --sort orders the rows best first (accuracies high to low, \
        everything else low to high); a bare metric such as val_accuracy means best.val_accuracy. \
        Exit codes: 0 success, 1 a missing or unreadable run, or an unknown column.
        """
    )

    @Argument(help: "Run directories and sweep directories.")
    var runs: [String]

    @Option(help: ArgumentHelp("Sort by this column: a metric (val_accuracy, final.train_loss) or a config key.", valueName: "column"))
    var sort: String?

    @Flag(help: "Reverse the --sort order.")
    var reverse = false

    @Option(help: "text, markdown or json.")
    var format: OutputFormat = .text

    func run() throws {
        var table = try storeOrFail { () throws(RunStoreError) in try RunTable(runs) }
        if let sort {
            table = try storeOrFail { () throws(RunStoreError) in try table.sorted(by: sort, reverse: reverse) }
        }
        print(table.report(format.reportFormat), terminator: "")
    }
}
