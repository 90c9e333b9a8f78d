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
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(temporarySuffix)")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RunStoreError("cannot write \(path): \(FileProblem.reason(error))")
        }
    }
}

/// The host and process, so that processes on several machines sharing a file system (a Slurm
/// cluster's) never write the same temporary file.
private let temporarySuffix = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
