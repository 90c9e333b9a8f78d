import Dispatch
import Foundation
import Sweeps
import Synchronization

/// Ctrl-C (or SIGTERM, or SIGHUP when the terminal closes) during a sweep: the first asks the running trials to stop after their
/// current step and write a checkpoint, and starts no more; a second stops them at once.
///
/// Trials run in their own process groups, so the terminal's signal reaches the sweep only; the
/// runner passes each press on to them.
enum SweepInterruption {
    private static let presses = Atomic<Int>(0)
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// How far a stop has been asked for.
    static var request: SweepStopRequest {
        switch presses.load(ordering: .relaxed) {
        case 0: .none
        case 1: .afterCheckpoints
        default: .immediately
        }
    }

    /// Passes a stop on to the trial running as process `processIdentifier`: SIGINT, unless the
    /// child shares the sweep's process group and so had the terminal's Ctrl-C already.
    static func relay(to processIdentifier: Int32) {
        guard getpgid(processIdentifier) != getpgrp() else { return }
        kill(processIdentifier, SIGINT)
    }

    /// Starts listening for SIGINT, SIGTERM and SIGHUP.
    static func install(quiet: Bool) {
        let queue = DispatchQueue(label: "baifs.sweep-interruption")
        signal(SIGPIPE, SIG_IGN)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                let count = presses.add(1, ordering: .relaxed).newValue
                if count == 1 && !quiet {
                    printError("\nbaifs-run: stopping the running trials after their current step (they write checkpoints; press Ctrl-C again to stop them at once)…")
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
