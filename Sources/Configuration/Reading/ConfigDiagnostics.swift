/// The errors found so far while an experiment document is read, shared by the readers of its
/// sections so that one pass reports every problem.
package final class ConfigDiagnostics {
    /// The errors, in the order they were found.
    package private(set) var errors: [ConfigError] = []

    /// An empty list of errors.
    package init() {}

    /// Records `error`.
    package func report(_ error: ConfigError) {
        errors.append(error)
    }

    /// Records an error at `location`.
    package func report(at location: ConfigLocation, _ keyPath: String, _ message: String) {
        errors.append(location.error(keyPath, message))
    }

    /// The errors in reading order: those in `file` by line and column, then the others (in
    /// overrides and data files) in the order they were found.
    package func sorted(mainFile file: String) -> [ConfigError] {
        let inFile = errors.enumerated().filter { $0.element.file == file }
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
        return inFile + errors.filter { $0.file != file }
    }
}
