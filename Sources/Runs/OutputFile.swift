import Foundation

/// A file that a user named for a command's output (`infer --output`, `export -o`, `plot -o`,
/// `graph -o`), written so that it never destroys what the command does not own:
///
/// - `-` is standard output; so is any path to the file or pipe standard output already writes to
///   (`/dev/stdout`, `/proc/self/fd/1`), and likewise for standard error: those are written
///   through the open descriptor, after what the process printed before.
/// - A path that does not exist, or names a regular file, gets the content atomically (a temporary
///   file in the same folder, renamed over it).
/// - A device, fifo or socket (`/dev/null`, `/dev/stdout`, a named pipe), even through a symbolic
///   link, is opened and written to as a stream; it is never replaced.
/// - A symbolic link to a regular file (or a dangling one) is refused rather than replaced or
///   followed: the user gives the target's path if that is what they mean.
/// - A folder, and a file that the command reads (one of `inputs`, compared by device and inode,
///   so through links and other spellings too), are refused.
public struct OutputFile: Sendable {
    /// Where the bytes go.
    public enum Destination: Sendable, Equatable {
        /// Standard output (`-`).
        case standardOutput
        /// Standard error (`/dev/stderr`).
        case standardError
        /// A device, fifo or socket, written as a stream.
        case stream(String)
        /// A regular file, created or replaced atomically.
        case file(String)
    }

    /// The path as the user gave it.
    public let path: String
    /// Where `path` leads, as the rules above decided.
    public let destination: Destination

    /// Checks `path` against the rules above.
    ///
    /// - Parameters:
    ///   - path: The output path, or `-`.
    ///   - option: How the user named it (`--output`, `-o`), for errors.
    ///   - inputs: The files the command reads; the output may not be one of them.
    /// - Throws: `RunStoreError` naming the path and the rule when the path is refused.
    public init(_ path: String, option: String, inputs: [String]) throws(RunStoreError) {
        self.path = path
        if path == "-" {
            destination = .standardOutput
            return
        }
        guard !path.isEmpty else { throw RunStoreError("\(option) needs a file name or - for standard output; got an empty path.") }
        var linkStatus = stat()
        guard lstat(path, &linkStatus) == 0 else {
            // Nothing there yet: the command creates it.
            destination = .file(path)
            return
        }
        var status = stat()
        let isLink = linkStatus.st_mode & S_IFMT == S_IFLNK
        guard stat(path, &status) == 0 else {
            throw RunStoreError("\(option) \(path) is a symbolic link to nothing (\(String(cString: strerror(errno)))); give the path of the file to write.")
        }
        for input in inputs {
            var inputStatus = stat()
            if stat(input, &inputStatus) == 0 && inputStatus.st_dev == status.st_dev && inputStatus.st_ino == status.st_ino {
                let same = input == path ? "" : " (the same file as \(input))"
                throw RunStoreError("\(option) \(path) is a file this command reads\(same); write the output somewhere else.")
            }
        }
        for (descriptor, standard) in [(STDOUT_FILENO, Destination.standardOutput), (STDERR_FILENO, .standardError)] {
            var open = stat()
            if fstat(descriptor, &open) == 0 && open.st_dev == status.st_dev && open.st_ino == status.st_ino {
                destination = standard
                return
            }
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            guard !isLink else {
                throw RunStoreError("\(option) \(path) is a symbolic link; baifs-run does not replace files through links: give the target's path.")
            }
            destination = .file(path)
        case S_IFDIR:
            throw RunStoreError("\(option) \(path) is a folder; give a file name.")
        default:
            // Character and block devices, fifos, sockets: write into them, never over them.
            destination = .stream(path)
        }
    }

    /// Writes `text`.
    public func write(_ text: String) throws(RunStoreError) {
        try write(Data(text.utf8))
    }

    /// Writes `data` to the destination.
    public func write(_ data: Data) throws(RunStoreError) {
        switch destination {
        case .standardOutput:
            fflush(nil)
            try Self.writeAll(data, to: STDOUT_FILENO, path: "standard output")
        case .standardError:
            fflush(nil)
            try Self.writeAll(data, to: STDERR_FILENO, path: "standard error")
        case .stream(let path):
            let descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard descriptor >= 0 else { throw RunStoreError("cannot open \(path): \(String(cString: strerror(errno))).") }
            defer { close(descriptor) }
            try Self.writeAll(data, to: descriptor, path: path)
        case .file(let path):
            do {
                try AtomicFile.write(data, to: path)
            } catch let error as RunStoreError {
                throw error
            } catch {
                throw RunStoreError("cannot write \(path): \(error.localizedDescription)")
            }
        }
    }

    /// Writes every byte of `data` to `descriptor`.
    static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws(RunStoreError) {
        if let reason = data.withUnsafeBytes({ AtomicFile.writeAllOrErrno($0, to: descriptor) }) {
            throw RunStoreError("cannot write \(path): \(String(cString: strerror(reason))).")
        }
    }
}
