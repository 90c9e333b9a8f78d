/// A problem with a CSV file or with the options used to read it, located in the file.
///
/// Prints as `path:line:column: error: message`, the format editors and terminals make clickable.
/// Lines and columns are 1-based; a column counts Unicode scalars from the start of its line and
/// points at the first character of the offending cell (after any leading whitespace).
public struct CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path of the file, as given by the caller.
    public var path: String
    /// The 1-based line of the problem.
    public var line: Int
    /// The 1-based column of the problem within its line.
    public var column: Int
    /// What is wrong, as a sentence fragment without a final period.
    public var message: String

    /// Creates an error at `line` and `column` of the file at `path`.
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// The error in compiler style: `path:line:column: error: message`, on one line of bounded
    /// length (messages quote only excerpts of the data; control characters are escaped).
    public var description: String {
        "\(Excerpt.plain(path, limit: 1_000)):\(line):\(column): error: \(Excerpt.plain(message, limit: 1_000))"
    }
}
