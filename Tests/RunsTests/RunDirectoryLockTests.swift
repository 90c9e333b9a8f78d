import Foundation
@testable import Runs
import Testing

/// `RunDirectoryLock`: one holder at a time, released with its holder; owners read from /proc/locks.
struct RunDirectoryLockTests {
    @Test func aSecondLockIsRefusedUntilTheFirstIsReleased() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var first: RunDirectoryLock? = try RunDirectoryLock.acquire(folder)
        #expect(first?.path == folder)
        let error = #expect(throws: RunStoreError.self) { try RunDirectoryLock.acquire(folder) }
        #expect(error?.message == "\(folder) is being trained by another process right now; it is not run twice at once: wait for that process to end, or stop it, then resume again.")
        first = nil
        #expect(throws: Never.self) { try RunDirectoryLock.acquire(folder) }
        #expect(RunDirectoryLock.owner(of: "\(folder)/nothing") == nil)
    }

    @Test func holdersAreReadFromProcLocksByDeviceAndInode() {
        var status = stat()
        status.st_dev = 0x0803  // major 8, minor 3
        status.st_ino = 123456
        let locks = """
            1: FLOCK  ADVISORY  WRITE 4242 08:03:123456 0 EOF
            1: -> FLOCK  ADVISORY  WRITE 4343 08:03:123456 0 EOF
            2: FLOCK  ADVISORY  WRITE 77 00:2f:123456 0 EOF
            3: POSIX  ADVISORY  WRITE 88 08:03:123456 0 EOF
            4: FLOCK  ADVISORY  WRITE 99 08:03:1234567 0 EOF
            """
        #expect(RunDirectoryLock.holders(of: status, in: locks) == [4242])
    }
}
