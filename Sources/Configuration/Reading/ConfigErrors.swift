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

    /// One error per line, each in compiler style.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }

    /// The one-line summary printed after the errors of `file`: `FILE is not valid (N errors)`.
    public func summary(file: String) -> String {
        "\(file) is not valid (\(errors.count) error\(errors.count == 1 ? "" : "s"))"
    }
}
