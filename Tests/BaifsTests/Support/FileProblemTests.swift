import Baifs
import Foundation
import Testing

/// `FileProblem`: the reason beneath Foundation's "The operation could not be completed".
struct FileProblemTests {
    static func reason(_ operation: () throws -> Void) -> String? {
        do {
            try operation()
            return nil
        } catch {
            return FileProblem.reason(error)
        }
    }

    @Test func foundationErrorsAreGivenTheirPOSIXReason() {
        #expect(Self.reason { try FileManager.default.createDirectory(atPath: "/etc/hostname", withIntermediateDirectories: true) }
                == "a file of that name exists")
        #expect(Self.reason { try Data("x".utf8).write(to: URL(fileURLWithPath: "/nonexistent/x.csv")) } == "no such file or folder")
        #expect(Self.reason { _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent.json")) } == "no such file or folder")
        #expect(Self.reason { try FileManager.default.createDirectory(atPath: "/proc/baifs", withIntermediateDirectories: false) }
                == "no such file or folder")
        #expect(FileProblem.reason(CocoaError(.fileWriteOutOfSpace)) == "no space left on the device")
        #expect(FileProblem.reason(errno: EROFS) == "the file system is read-only")
    }
}
