import Foundation

/// A file of the run held open for appending (`metrics.csv` while training), so that a row costs
/// one write rather than an open, a write and a close: on a small run the opens were a tenth of
/// the time spent writing files.
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

    deinit {
        close(descriptor)
    }

    /// Adds `text` to the end of the file in one write, so that a run killed at any moment leaves
    /// whole rows.
    func append(_ text: String) throws(RunStoreError) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw RunStoreError("cannot append to \(path): \(String(cString: strerror(errno))).") }
    }
}
