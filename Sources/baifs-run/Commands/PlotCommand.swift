import ArgumentParser
import Foundation
import Runs

/// `baifs-run plot RUN... -o FILE.svg`: the learning curves of runs in one image.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the learning curves of one or more runs as one SVG image.",
        discussion: """
        Panels for the loss (training solid, validation dashed), the accuracy (classification) and the
        learning rate, over the epochs. Several runs (a sweep, say) are overlaid, one colour each. A folder
        that is not a run but holds runs, directly or one folder down (runs/, a sweep's folder), stands for
        every run in it. Every run also writes its own curves.svg.
        """
    )

    @Argument(help: ArgumentHelp("Run directories, or folders of runs.", valueName: "run"))
    var runs: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The SVG file to write (default or -: standard output). A device or fifo is written into; a symbolic link, a folder and the files plot reads are refused.", valueName: "file.svg"))
    var output: String?

    @Option(help: "The title above the panels.")
    var title: String?

    func run() throws {
        do {
            let directories = try runs.flatMap { argument throws(RunStoreError) in try Self.runDirectories(in: argument) }
            let names = directories.map { URL(fileURLWithPath: $0).lastPathComponent }
            let unique = Set(names).count == names.count
            let plotted = try directories.enumerated().map { index, directory throws(RunStoreError) in
                CurvesPlot.Run(name: unique ? names[index] : directory, metrics: try MetricsTable(runDirectory: directory))
            }
            let heading = title ?? (plotted.count == 1 ? "\(plotted[0].name): learning curves" : "learning curves of \(plotted.count) runs")
            let svg = CurvesPlot(runs: plotted, title: heading).svg
            let inputs = directories.flatMap { ["\($0)/metrics.csv", "\($0)/config.yaml"] }
            try OutputFile(output ?? "-", option: "--output", inputs: inputs).write(svg)
        } catch let error as RunStoreError {
            printError(error.message.contains("error:") ? error.message : "error: \(error.message)")
            throw ExitCode.inputOrRunFailure
        }
    }

    /// `path` if it is a run directory, else the run directories in it or one level further
    /// down (a sweep keeps its runs in a subfolder), sorted.
    static func runDirectories(in path: String) throws(RunStoreError) -> [String] {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: trimmed, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RunStoreError("\(path): no such run directory")
        }
        func isRun(_ folder: String) -> Bool { manager.fileExists(atPath: "\(folder)/metrics.csv") }
        func subfolders(_ folder: String) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { "\(folder)/\($0)" }.filter { child in
                var isFolder: ObjCBool = false
                return manager.fileExists(atPath: child, isDirectory: &isFolder) && isFolder.boolValue
            }
        }
        if isRun(trimmed) { return [trimmed] }
        var found = subfolders(trimmed).filter(isRun)
        if found.isEmpty { found = subfolders(trimmed).flatMap { subfolders($0).filter(isRun) } }
        guard !found.isEmpty else {
            throw RunStoreError("\(path): not a run directory (it has no metrics.csv), and no run directory is in it")
        }
        return found
    }
}
