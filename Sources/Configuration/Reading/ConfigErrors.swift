import Baifs

/// Every problem found in one pass over an experiment file and its overrides, as a compiler
/// reports all the errors it can rather than stopping at the first.
public struct ConfigErrors: Error, Equatable, CustomStringConvertible, Sendable {
    /// The problems, in the order they are best read: those in the experiment file by position,
    /// then those in overrides and data files.
    public var errors: [ConfigError]

    /// Collects `errors`, which must not be empty.
    public init(_ errors: [ConfigError]) {
        precondition(!errors.isEmpty, "A ConfigErrors needs at least one error.")
        self.errors = errors
    }

    /// The most errors `description` lists; the rest are counted.
    public static let shownLimit = 50

    /// One error per line, each in compiler style; past `shownLimit` errors, a last line counts
    /// the others.
    public var description: String {
        var lines = errors.prefix(Self.shownLimit).map(\.description)
        if errors.count > Self.shownLimit {
            let hidden = errors.count - Self.shownLimit
            lines.append("\(Excerpt.plain(errors[0].file, limit: ConfigError.lengthLimit)): note: \(hidden) more error\(hidden == 1 ? "" : "s") not shown")
        }
        return lines.joined(separator: "\n")
    }

    /// The one-line summary printed after the errors of `file`: `FILE is not valid (N errors)`.
    public func summary(file: String) -> String {
        "\(file) is not valid (\(errors.count) error\(errors.count == 1 ? "" : "s"))"
    }
}
