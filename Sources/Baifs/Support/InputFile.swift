import Foundation

/// Reads a whole input file (an experiment, a sweep, a checkpoint), or says in a few words why it
/// cannot: a directory, a device or a socket where a file is expected is refused before anything
/// is read (reading `/dev/zero` would never end), and every other failure gets its own reason
/// rather than Foundation's "The operation could not be completed".
///
/// Regular files and pipes (`<(…)` in a shell) are read; both up to an optional size limit.
public enum InputFile {
    /// Why a file could not be read, as a phrase: `no such file`, `it is a directory, not a file`.
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        /// Why the file cannot be read, in a few words (`is a directory`).
        public var reason: String
        /// Creates the failure with `reason`.
        public init(_ reason: String) { self.reason = reason }
        /// The reason.
        public var description: String { reason }
    }

    /// The bytes of the file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file; symbolic links are followed.
    ///   - limit: The most bytes to read; a larger file is refused. `nil` for no limit.
    /// - Throws: `Failure` with the reason the file cannot be read.
    public static func read(_ path: String, limit: Int? = nil) throws(Failure) -> Data {
        let descriptor = try open(path, limit: limit)
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason(errno))
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[..<count])
            if let limit, data.count > limit { throw Failure(tooLarge(limit)) }
        }
    }

    /// Opens the file at `path` for reading, after checking that it is a regular file or a pipe
    /// (of at most `limit` bytes, for a regular file); the caller closes the descriptor.
    ///
    /// - Throws: `Failure` with the reason the file cannot be read.
    public static func open(_ path: String, limit: Int? = nil) throws(Failure) -> Int32 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(reason(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO: break
        case S_IFDIR: throw Failure("it is a directory, not a file")
        case S_IFCHR: throw Failure("it is a character device, not a file")
        case S_IFBLK: throw Failure("it is a block device, not a file")
        case S_IFSOCK: throw Failure("it is a socket, not a file")
        default: throw Failure("it is not a regular file")
        }
        if let limit, info.st_size > limit { throw Failure(tooLarge(limit)) }
        let descriptor = Foundation.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(reason(errno)) }
        return descriptor
    }

    /// The reason for the error number `code` of stat(2), open(2) or read(2).
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EISDIR: "it is a directory, not a file"
        default: FileProblem.reason(errno: code)
        }
    }

    private static func tooLarge(_ limit: Int) -> String {
        "it is larger than \(limit) bytes, the most this kind of file may have"
    }
}
