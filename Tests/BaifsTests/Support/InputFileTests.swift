import Baifs
import Foundation
import Testing

struct InputFileTests {
    static func failure(_ path: String, limit: Int? = nil) -> String? {
        do {
            _ = try InputFile.read(path, limit: limit)
            return nil
        } catch {
            return error.reason
        }
    }

    static func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-input-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsARegularFile() throws {
        let path = try Self.temporaryFile("seed: 3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try InputFile.read(path) == Data("seed: 3\n".utf8))
        #expect(try InputFile.read(path, limit: 8) == Data("seed: 3\n".utf8))
    }

    @Test func saysWhyAPathIsNotAFileInsteadOfReadingIt() {
        // Foundation says "The operation could not be completed" for a directory, and reading
        // /dev/zero would never end.
        #expect(Self.failure(FileManager.default.temporaryDirectory.path) == "it is a directory, not a file")
        #expect(Self.failure("/dev/zero") == "it is a character device, not a file")
        #expect(Self.failure("/nonexistent/experiment.yaml") == "no such file")
        #expect(Self.failure("") == "no such file")
        #expect(Self.failure("/etc/hostname/child") == "a part of the path is not a folder")
    }

    @Test func refusesAFileLargerThanTheLimit() throws {
        let path = try Self.temporaryFile(String(repeating: "x", count: 100))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(Self.failure(path, limit: 99) == "it is larger than 99 bytes, the most this kind of file may have")
        // A file that reports no size (as those in /proc do) is read, up to the limit.
        #expect(try InputFile.read("/proc/self/stat", limit: 1 << 20).count > 0)
        #expect(Self.failure("/proc/self/environ", limit: 1)?.hasPrefix("it is larger than 1 bytes") == true)
    }
}
