import Configuration
import Foundation

/// One trial of a sweep, as a line of the sweep's `manifest.jsonl`:
///
///     {"id":"trial-0001","overrides":["training.epochs=12","optimizer.learning_rate=0.03"],"status":"completed","attempts":1,"exit_code":0,"error":null}
///
/// `overrides` are the `--set` arguments of the trial's run, in order (the sweep's `set` first,
/// then the grid's and the random search's values). The trial's run directory is
/// `trials/ID` in the sweep directory and its output goes to `logs/ID.log`.
public struct SweepTrial: Sendable, Equatable {
    /// Where a trial stands.
    public enum Status: String, Sendable, CaseIterable {
        /// Not run yet.
        case pending
        /// Started and not finished (or its process died without a word).
        case running
        /// Trained to the end (or stopped early) and wrote its summary.
        case completed
        /// Exited with an error; `error` says why.
        case failed
        /// Stopped by Ctrl-C or SIGTERM after writing a checkpoint; a rerun resumes it.
        case interrupted
    }

    /// `trial-0001`, …
    public var id: String
    /// The trial's `--set` overrides, `key.path=value`, in order.
    public var overrides: [String]
    /// Where the trial stands (`status`).
    public var status: Status
    /// How many times the trial has been started.
    public var attempts: Int
    /// The exit status of the last attempt (128 + N for a process killed by signal N).
    public var exitCode: Int?
    /// Why the last attempt failed: the last error line of its log.
    public var error: String?

    /// A pending trial.
    public init(id: String, overrides: [String]) {
        self.id = id
        self.overrides = overrides
        status = .pending
        attempts = 0
    }

    /// The value this trial gives `keyPath`, as written in its overrides (the last one wins).
    public func value(of keyPath: String) -> String? {
        overrides.last { $0.hasPrefix(keyPath + "=") }.map { String($0.dropFirst(keyPath.count + 1)) }
    }

    /// The trial as one line of `manifest.jsonl`, keys in a fixed order.
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("overrides", .array(overrides.map(JSONValue.string))),
            ("status", .string(status.rawValue)),
            ("attempts", .integer(Int64(attempts))),
            ("exit_code", exitCode.map { .integer(Int64($0)) } ?? .null),
            ("error", error.map(JSONValue.string) ?? .null),
        ])
    }

    /// Reads one line of `manifest.jsonl`; `nil` if it is not a trial.
    init?(jsonLine line: Substring) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let id = object["id"] as? String, let overrides = object["overrides"] as? [String],
              let statusText = object["status"] as? String, let status = Status(rawValue: statusText) else { return nil }
        self.id = id
        self.overrides = overrides
        self.status = status
        attempts = object["attempts"] as? Int ?? 0
        exitCode = object["exit_code"] as? Int
        error = object["error"] as? String
    }
}
