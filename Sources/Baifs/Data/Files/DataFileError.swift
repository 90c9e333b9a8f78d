/// A problem with a binary data file (`.npy`, `.npz`, IDX, gzip) or with how it is used, located
/// in the file.
///
/// Prints in compiler style: `path: error: byte N: message` for a place in the file's bytes
/// (`byte N after decompression` in a gzip-compressed file), `path:line:column: error: message`
/// for a place in a text file, and `path: error: message` for the file as a whole.
public struct DataFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable {
        /// The file as a whole.
        case file
        /// The 0-based byte offset in the file as stored.
        case byte(Int)
        /// The 0-based byte offset in the file's contents after gzip decompression.
        case decompressedByte(Int)
        /// The 1-based line and column of a text file.
        case text(line: Int, column: Int)
    }

    /// The path of the file as given by the caller; `archive.npz[name]` for an array in an archive.
    public var path: String
    /// Where the problem is.
    public var location: Location
    /// What is wrong, as a sentence fragment without a final period.
    public var message: String

    /// Creates the error `message` at `location` in the file `path`.
    public init(path: String, location: Location, message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    /// The error in compiler style (see the type's description).
    public var description: String {
        switch location {
        case .file: "\(path): error: \(message)"
        case .byte(let offset): "\(path): error: byte \(offset): \(message)"
        case .decompressedByte(let offset): "\(path): error: byte \(offset) after decompression: \(message)"
        case .text(let line, let column): "\(path):\(line):\(column): error: \(message)"
        }
    }
}
