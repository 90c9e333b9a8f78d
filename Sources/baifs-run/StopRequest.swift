import Dispatch
import Foundation
import Sweeps
import Synchronization

/// Ctrl-C during training: the first press asks the run to stop after the current step and write
/// a checkpoint; a second press exits at once. SIGTERM (a scheduler's stop) and SIGHUP (the
/// terminal closed) are handled the same way: the run ends `interrupted` with exit code 130.
/// SIGPIPE is ignored, so that a closed pipe on standard output or error (`| tee` gone with the
/// terminal) makes writes to it fail instead of killing the run before its checkpoint.
enum StopRequest {
    private static let requested = Atomic<Bool>(false)
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    /// Whether Ctrl-C has been pressed, or the sweep that started this trial has gone.
    static var isRequested: Bool { requested.load(ordering: .relaxed) || sweepHasGone }

    /// The sweep that started this process as a trial (`BAIFS_SWEEP_PID`), if one did.
    private static let sweep: pid_t? = ProcessInfo.processInfo.environment[SweepRunner.parentEnvironmentKey].flatMap { pid_t($0) }
    private static let reportedOrphan = Atomic<Bool>(false)

    /// Whether this trial's sweep has died (the trial was given another parent): then the trial
    /// stops like after Ctrl-C, writing a checkpoint that `sweep --resume` continues from.
    private static var sweepHasGone: Bool {
        guard let sweep, getppid() != sweep else { return false }
        if !reportedOrphan.exchange(true, ordering: .relaxed) {
            printError("baifs-run: the sweep that started this trial (pid \(sweep)) has ended; stopping after this step and writing a checkpoint.")
        }
        return true
    }

    /// The signals that ask a run to stop.
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Starts listening for SIGINT, SIGTERM and SIGHUP.
    static func install(quiet: Bool) {
        signal(SIGPIPE, SIG_IGN)
        for signalNumber in signals {
            signal(signalNumber, SIG_IGN)
        }
        let queue = DispatchQueue(label: "baifs.stop-request")
        for signalNumber in signals {
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
