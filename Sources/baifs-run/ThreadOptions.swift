import ArgumentParser
import Foundation

/// How many threads training may use.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for data-parallel training (default: every core). Results are bit-identical for any number.")
    var threads: Int = min(ProcessInfo.processInfo.activeProcessorCount, ThreadOptions.limit)

    /// The most threads accepted: more than any machine this runs on has cores; a larger number
    /// is a mistake, not a request.
    static let limit = 1024

    func validate() throws {
        guard (1...Self.limit).contains(threads) else { throw ValidationError("--threads must be in [1, \(Self.limit)]; got \(threads).") }
    }
}
