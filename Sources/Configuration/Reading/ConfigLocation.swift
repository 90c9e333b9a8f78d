/// Where a node of an experiment document came from: a file position, or a column of a `--set`
/// override (file `--set`, line 1).
package struct ConfigLocation: Equatable, Sendable {
    /// The experiment file's path as given, or `--set`.
    package var file: String
    /// The 1-based line.
    package var line: Int
    /// The 1-based column, counted in Unicode scalars.
    package var column: Int

    /// The file name that marks overrides' locations.
    package static let overrideFile = "--set"

    /// An error at this location.
    func error(_ keyPath: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column, keyPath: keyPath, message: message)
    }
}
