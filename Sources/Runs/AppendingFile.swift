import Foundation

/// A file of the run held open for appending (`metrics.csv` and the TensorBoard event file while
/// training), so that a row costs one write rather than an open, a write and a close: on a small
/// run the opens were a tenth of the time spent writing files.
final class AppendingFile {
    /// The file's path, for messages.
    let path: String
    private let descriptor: Int32

    /// Opens the existing file at `path`; `O_NOFOLLOW`: the file is the run's own, never one a
    /// symbolic link points to.
    init(path: String) throws(RunStoreError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw RunStoreError("cannot append to \(path): \(String(cString: strerror(errno))).") }
    }

    /// Takes over `descriptor`, a file just created at `path` and open for writing; closed with this object.
    init(descriptor: Int32, path: String) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Adds `text` to the end of the file in one write, so that a run killed at any moment leaves
    /// whole rows.
    func append(_ text: String) throws(RunStoreError) {
        try append(Array(text.utf8))
    }

    /// Adds `bytes` to the end of the file in one write (retried after a partial write).
    func append(_ bytes: [UInt8]) throws(RunStoreError) {
        if let reason = bytes.withUnsafeBytes({ AtomicFile.writeAllOrErrno($0, to: descriptor) }) {
            throw RunStoreError("cannot append to \(path): \(String(cString: strerror(reason))).")
        }
    }
}
