/// Where a node of an experiment document came from: a file position, or a column of a `--set`
/// override (file `--set`, line 1).
struct ConfigLocation: Equatable, Sendable {
    /// The experiment file's path as given, or `--set`.
    var file: String
    /// The 1-based line.
    var line: Int
    /// The 1-based column, counted in Unicode scalars.
    var column: Int

    /// The file name that marks overrides' locations.
    static let overrideFile = "--set"

    /// An error at this location.
    func error(_ keyPath: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column, keyPath: keyPath, message: message)
    }
}
