import Foundation

/// An exclusive advisory lock on a file (flock(2)), held while a closure runs, so that the
/// processes of a sweep (a local scheduler, Slurm array tasks, GNU parallel jobs) update its
/// manifest one at a time.
package struct FileLock {
    /// The lock file; created if missing.
    let path: String

    /// A lock on the file at `path`.
    package init(path: String) {
        self.path = path
    }

    /// Runs `body` while holding the lock, waiting for it if another process holds it.
    package func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor >= 0 {
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        // Without a lock file (a read-only folder), go on unlocked: reading still works.
        defer {
            if descriptor >= 0 {
                flock(descriptor, LOCK_UN)
                close(descriptor)
            }
        }
        return try body()
    }
}
