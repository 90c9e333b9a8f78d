import Foundation
import Runs

/// The file a report is written to, checked so that the report never replaces what it does not
/// own: the path must be a new file or a regular file outside the run and sweep directories the
/// report reads — not a symbolic link (rename would replace the link, and a writer that followed
/// it would write elsewhere), a directory, a device, a pipe or a socket.
public struct ReportOutputFile: Sendable {
    /// The path as given, checked.
    let path: String

    /// Checks `path` against the rules above.
    ///
    /// - Parameters:
    ///   - path: The output path.
    ///   - inputs: The run and sweep directories the report reads.
    /// - Throws: `RunStoreError` saying what `path` is and what would be accepted.
    public init(_ path: String, inputs: [String]) throws(RunStoreError) {
        var status = stat()
        if lstat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFLNK:
                throw RunStoreError("\(path) is a symbolic link; a report does not replace links or write through them (give a new file's path, or a regular file's).")
            case S_IFDIR:
                throw RunStoreError("\(path) is a directory; give the path of the HTML file to write, such as \(path.hasSuffix("/") ? path : path + "/")report.html.")
            default:
                throw RunStoreError("\(path) is not a regular file (a device, pipe or socket); give the path of the HTML file to write, or - for standard output.")
            }
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard let resolvedFolder = Self.resolved(folder) else {
            throw RunStoreError("cannot write \(path): the folder \(folder) does not exist.")
        }
        let resolved = resolvedFolder == "/" ? "/" + url.lastPathComponent : resolvedFolder + "/" + url.lastPathComponent
        for input in inputs {
            guard let directory = Self.resolved(input) else { continue }
            if resolved.hasPrefix(directory == "/" ? "/" : directory + "/") {
                throw RunStoreError("\(path) is inside \(input), which the report reads; write the report outside the runs and sweeps it reads.")
            }
        }
        self.path = path
    }

    /// Replaces the file with `text` atomically: readers see the old page or the new one.
    public func write(_ text: String) throws(RunStoreError) {
        do {
            try AtomicFile.write(text, to: path)
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The absolute path of `path` with every symbolic link resolved, or `nil` if it does not exist.
    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
