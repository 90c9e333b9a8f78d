import Synchronization

/// The next piece of a shared job to take (a chunk of a batch, a block of elements), shared by the
/// threads of one job, each of which takes pieces until none is left. Freed by its owner after the job.
struct ClaimCounter: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<Atomic<Int>>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: Atomic(0))
    }

    /// Returns the counter and increments it: the index of the piece the caller takes.
    func take() -> Int { pointer.pointee.add(1, ordering: .relaxed).oldValue }

    func deallocate() {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}
