import Foundation

/// The lock a process holds on a run directory while it trains in it: an exclusive flock(2) on
/// the directory itself (no file is added to the run), held until the lock is released or the
/// process ends; the kernel releases it however the process ends, `kill -9` included. So a second
/// process (a resume, a sweep that resumes its trials) can tell a live owner from a dead one.
public final class RunDirectoryLock: Sendable {
    private let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
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
            // A file system without flock(2) (some network ones): go on unlocked, as before locks.
            return RunDirectoryLock(descriptor: -1, path: path)
        }
        return RunDirectoryLock(descriptor: descriptor, path: path)
    }

    /// Whether a process trains in the run directory at `path` now, and which: `.some(pid)` (or
    /// `.some(nil)` when the pid cannot be told) if its lock is held, `nil` if it is free or
    /// there is no directory.
    ///
    /// Read from `/proc/locks` where there is one, so that looking takes no lock itself (a process
    /// taking the lock at that moment would otherwise find it held); elsewhere by trying the lock.
    public static func owner(of path: String) -> pid_t?? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        if let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) {
            for holder in holders(of: status, in: locks) where holder != getpid() { return .some(holder) }
            return nil
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            return errno == EWOULDBLOCK ? .some(nil) : nil
        }
        flock(descriptor, LOCK_UN)
        return nil
    }

    /// The processes that hold a flock(2) on the file of `status`, from the text of `/proc/locks`
    /// (`ID: FLOCK ADVISORY WRITE PID MAJOR:MINOR:INODE START END`, the device numbers in
    /// hexadecimal; waiting requests, marked `->`, are left out).
    static func holders(of status: stat, in locks: String) -> [pid_t] {
        // Linux's encoding of device numbers (glibc's major() and minor()).
        let device = UInt64(status.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        let file = String(major, radix: 16) + ":" + String(minor, radix: 16) + ":" + String(status.st_ino)
        return locks.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK" else { return nil }
            // "%02x:%02x:%lu": drop the zero padding before comparing.
            let parts = fields[5].split(separator: ":")
            guard parts.count == 3,
                  let lockMajor = UInt64(parts[0], radix: 16), let lockMinor = UInt64(parts[1], radix: 16),
                  String(lockMajor, radix: 16) + ":" + String(lockMinor, radix: 16) + ":" + parts[2] == file else { return nil }
            return pid_t(fields[4])
        }
    }

    /// The process holding a flock on the file open at `descriptor`, from `/proc/locks`.
    private static func owner(ofLockOn descriptor: Int32) -> pid_t? {
        var status = stat()
        guard fstat(descriptor, &status) == 0,
              let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        return holders(of: status, in: locks).first { $0 != getpid() }
    }
}
