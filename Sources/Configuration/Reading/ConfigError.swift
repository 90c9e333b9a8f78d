import Baifs

/// A problem with an experiment file or an override, located where the user can fix it.
///
/// Prints in compiler style, `FILE:LINE:COLUMN: error: KEY.PATH: MESSAGE`, which editors and
/// terminals make clickable. Lines and columns are 1-based and count Unicode scalars, as Yams'
/// `Mark` does. `file` is the experiment file's path as the caller gave it, `--set` for a problem
/// with a command-line override (the column then counts within the override's argument), or a CSV
/// file's path for a problem with the data.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file the problem is in, `--set` for an override.
    public var file: String
    /// The 1-based line of the problem.
    public var line: Int
    /// The 1-based column of the problem within its line.
    public var column: Int
    /// The dotted path of the offending key, with list indices as numbers (`model.layers.2.out`);
    /// empty for a problem with the document as a whole.
    public var keyPath: String
    /// What is wrong, and what would be right, without a final period.
    public var message: String

    /// For a problem in a binary data file (`.npy`, IDX, gzip): where in its bytes, printed as
    /// `FILE: error: byte N: MESSAGE` instead of a line and column; `nil` otherwise.
    public var dataLocation: DataFileError.Location?

    /// Creates an error at `line` and `column` of `file`.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// The most characters of a key path or message that `description` shows.
    static let lengthLimit = 1_000

    /// The error of a data file, at its own location (a line and column of a text file, or a byte).
    public init(dataFileError error: DataFileError) {
        if case .text(let line, let column) = error.location {
            self.init(file: error.path, line: line, column: column, keyPath: "", message: error.message)
        } else {
            self.init(file: error.path, line: 1, column: 1, keyPath: "", message: error.message)
            dataLocation = error.location
        }
    }

    /// The error in compiler style: `FILE:LINE:COLUMN: error: KEY.PATH: MESSAGE`, without the
    /// `KEY.PATH: ` part when the key path is empty. Always one line of bounded length: messages
    /// quote only excerpts of what the user wrote, and control characters anywhere (a line break
    /// in a file name, say) are escaped (`Excerpt`).
    public var description: String {
        let prefix = keyPath.isEmpty ? "" : "\(Excerpt.plain(keyPath, limit: Excerpt.limit)): "
        if let dataLocation {
            return DataFileError(path: Excerpt.plain(file, limit: Self.lengthLimit), location: dataLocation,
                                 message: prefix + Excerpt.plain(message, limit: Self.lengthLimit)).description
        }
        return "\(Excerpt.plain(file, limit: Self.lengthLimit)):\(line):\(column): error: \(prefix)"
            + Excerpt.plain(message, limit: Self.lengthLimit)
    }
}
