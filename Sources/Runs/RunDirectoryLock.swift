import Foundation

/// The lock a process holds on a run directory while it trains in it: an exclusive flock(2) on
/// the directory itself (no file is added to the run), held until the lock is released or the
/// process ends; the kernel releases it however the process ends, `kill -9` included. So a second
/// process (a resume, a sweep that resumes its trials) can tell a live owner from a dead one.
public final class RunDirectoryLock: Sendable {
    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Takes the lock on the run directory at `path` without waiting.
    ///
    /// - Throws: `RunStoreError` when another process holds it (naming that process), or the
    ///   directory cannot be opened.
    public static func acquire(_ path: String) throws(RunStoreError) -> RunDirectoryLock {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RunStoreError("cannot open the run directory \(path): \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let reason = errno
            let owner = owner(ofLockOn: descriptor)
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw RunStoreError("\(path) is being trained by another process\(owner.map { " (pid \($0))" } ?? "") right now; "
                                    + "it is not run twice at once: wait for that process to end, or stop it, then resume again.")
            }
            throw RunStoreError("cannot lock the run directory \(path): \(String(cString: strerror(reason))).")
        }
        return RunDirectoryLock(descriptor: descriptor, path: path)
    }

    /// Whether a process trains in the run directory at `path` now, and which: `.some(pid)` (or
    /// `.some(nil)` when the pid cannot be told) if its lock is held, `nil` if it is free or
    /// there is no directory.
    public static func owner(of path: String) -> pid_t?? {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            return .some(owner(ofLockOn: descriptor))
        }
        flock(descriptor, LOCK_UN)
        return nil
    }

    /// The process holding a flock on the file open at `descriptor`, from `/proc/locks`
    /// (`ID: FLOCK ADVISORY WRITE PID MAJOR:MINOR:INODE START END`).
    private static func owner(ofLockOn descriptor: Int32) -> pid_t? {
        var status = stat()
        guard fstat(descriptor, &status) == 0,
              let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let inode = ":\(status.st_ino)"
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5].hasSuffix(inode) else { continue }
            if let pid = pid_t(fields[4]), pid != getpid() { return pid }
        }
        return nil
    }
}
