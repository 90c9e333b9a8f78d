import ArgumentParser
import Inspection

/// `baifs-run diff RUN_A RUN_B`: how two runs differ.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two runs: differing config keys, metrics side by side, first divergent epoch, parameter distances.",
        discussion: """
        Prints only the config keys whose values differ (name aside), the final and best metrics of \
        both runs with their differences (b − a), the first epoch at which metrics.csv differs, and \
        for each parameter of the last checkpoints the largest absolute difference and the L2 \
        distance. Exit codes, as diff(1): 0 the runs are equal, 1 they differ, 2 an error (a missing \
        or unreadable run directory). timing.json is never compared.
        """
    )

    @Argument(help: "The first run directory (a).")
    var runA: String

    @Argument(help: "The second run directory (b).")
    var runB: String

    @Option(help: "text, markdown or json.")
    var format: OutputFormat = .text

    func run() throws {
        let comparison: RunDiff
        do {
            comparison = try RunDiff(runA, runB)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
        print(comparison.report(format.reportFormat), terminator: "")
        if !comparison.isEqual { throw ExitCode(1) }
    }
}

/// `--format` of `diff` and `compare`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json

    var reportFormat: ReportFormat {
        switch self {
        case .text: .text
        case .markdown: .markdown
        case .json: .json
        }
    }
}
