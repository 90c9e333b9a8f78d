import Dispatch
import Foundation
import Synchronization

/// Ctrl-C during training: the first press asks the run to stop after the current step and write
/// a checkpoint; a second press exits at once.
enum StopRequest {
    private static let requested = Atomic<Bool>(false)
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    /// Whether Ctrl-C has been pressed.
    static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Starts listening for SIGINT (and SIGTERM).
    static func install(quiet: Bool) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
        }
        let queue = DispatchQueue(label: "baifs.stop-request")
        for signalNumber in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                if requested.exchange(true, ordering: .relaxed) {
                    printError("\nbaifs-run: stopped without a checkpoint.")
                    exit(130)
                }
                if !quiet { printError("\nbaifs-run: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)…") }
            }
            source.resume()
            Self.source = source
            keepAlive.append(source)
        }
    }

    nonisolated(unsafe) private static var keepAlive: [DispatchSourceSignal] = []
}
