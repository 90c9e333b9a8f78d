import Baifs
import Foundation

/// Writes files so that a reader, or a run killed at any moment, sees either the old content or
/// the new, never a part: the bytes go to a temporary file in the same folder, which is then
/// renamed over the target (rename(2) is atomic within a file system).
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `contents`.
    public static func write(_ contents: String, to path: String) throws {
        try write(Data(contents.utf8), to: path)
    }

    /// Replaces (or creates) the file at `path` with `data`.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { descriptor in
            if let reason = data.withUnsafeBytes({ writeAllOrErrno($0, to: descriptor) }) {
                throw RunStoreError("cannot write \(path): \(String(cString: strerror(reason))).")
            }
        }
    }
}

extension AtomicFile {
    /// Replaces (or creates) the file at `path` with what `body` writes to the file descriptor it
    /// is given, so that large files (checkpoints) are written piece by piece, never whole in memory.
    /// The descriptor is that of a temporary file, renamed over `path` once `body` returns.
    public static func write(to path: String, _ body: (Int32) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunStoreError("cannot write \(path): \(String(cString: strerror(errno))).")
        }
        do {
            try body(descriptor)
            guard close(descriptor) == 0 else {
                throw RunStoreError("cannot write \(path): \(String(cString: strerror(errno))).")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            if let error = error as? RunStoreError { throw error }
            throw RunStoreError("cannot write \(path): \(FileProblem.reason(error))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RunStoreError("cannot write \(path): \(reason).")
        }
    }

    /// `.NAME.tmp-HOST-PID` beside `FOLDER/NAME`: hidden, and never the same for two processes.
    static func temporaryPath(for path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ".\(path).tmp-\(temporarySuffix)" }
        let folder = path[...slash]
        let name = path[path.utf8.index(after: slash)...]
        return "\(folder).\(name).tmp-\(temporarySuffix)"
    }

    /// Replaces (or creates) the file at `destination` with a copy of the file at `source`,
    /// read and written a megabyte at a time.
    public static func copy(from source: String, to destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw RunStoreError("cannot read \(source): \(String(cString: strerror(errno))).") }
        defer { close(input) }
        try write(to: destination) { output in
            // Uninitialised: filling a megabyte with zeros first cost more than copying a small checkpoint.
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = read(input, buffer.baseAddress, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw RunStoreError("cannot read \(source): \(String(cString: strerror(errno))).") }
                if count == 0 { return }
                if let reason = writeAllOrErrno(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), to: output) {
                    throw RunStoreError("cannot write \(destination): \(String(cString: strerror(reason))).")
                }
            }
        }
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying after partial writes and signals.
    ///
    /// - Throws: `RunStoreError` naming `path` and the system's reason (such as "File too large"
    ///   past a file size limit, or "No space left on device").
    package static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(RunStoreError) {
        if let reason = writeAllOrErrno(bytes, to: descriptor) {
            throw RunStoreError("cannot write \(path): \(String(cString: strerror(reason))).")
        }
    }

    /// Writes every byte of `bytes` to `descriptor`; the `errno` of a failed write, or `nil`.
    static func writeAllOrErrno(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}

/// The host and process, so that processes on several machines sharing a file system (a Slurm
/// cluster's) never write the same temporary file.
private let temporarySuffix = "\(hostName)-\(ProcessInfo.processInfo.processIdentifier)"
