import ArgumentParser
import Foundation

/// How many threads training may use.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for data-parallel training (default: every core). Results are bit-identical for any number.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1; got \(threads).") }
    }
}
