import Baifs
import Foundation
import TestSupport
import Testing

/// Data files as paths name them: regular files, pipes, and what is not a file at all.
struct DataFileContentsTests {
    @Test(arguments: [("/dev/zero", "it is a character device, not a file"), ("/", "it is a directory, not a file"),
                      ("/no/such/data.npy", "no such file")])
    func refusesWhatIsNotAFileByItsKind(path: String, reason: String) {
        // /dev/zero has a size of 0: it was read as an empty file and reported as a truncated array.
        #expect(throws: DataFileError(path: path, location: .file, message: "cannot read file: \(reason)")) {
            try DataFileContents(contentsOfFile: path)
        }
    }

    @Test func readsAPipeToItsEnd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("data-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pipe = folder + "/features.npy"
        #expect(mkfifo(pipe, 0o600) == 0)
        // More than one read's worth, so that the pipe is read in several chunks.
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let writer = Thread {
            // A reader that stops early must fail the test, not end the process: SIGPIPE is blocked
            // on this thread only (its write then fails with EPIPE), not ignored process-wide,
            // which child processes of other tests would inherit.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            let descriptor = open(pipe, O_WRONLY)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                written += count
            }
            close(descriptor)
        }
        writer.start()
        #expect(try DataFileContents(contentsOfFile: pipe).bytes == bytes)
    }
}
