import Foundation
import Synchronization

/// A few long-lived threads that run the parts of a job alongside the calling thread.
///
/// Training hands the pool one short job per step (the chunks of a batch), hundreds of times per
/// second, so a worker that has just finished a job first watches for the next one for a moment
/// (`spinSeconds`) rather than sleeping at once: waking a sleeping thread costs more than a small
/// job. The watching backs off (a pause instruction, then yielding the core to any other runnable
/// thread) and ends in sleep, so that idle workers never hold a core that another process needs.
/// The caller, once its own part is done, waits the same way: briefly, yielding, then asleep.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker (or a waiting caller) checks for news before it sleeps.
    static let spinSeconds = 0.0002
    /// How long it checks without yielding its core first.
    static let busySeconds = 0.00002

    /// Extra threads besides the caller's.
    let workerCount: Int
    /// Incremented for each job (and once more to stop the workers).
    private let generation = Atomic<Int>(0)
    /// Workers that have not yet finished the current job (every worker takes every job; those
    /// beyond its participants return at once, so that none can miss a job).
    private let remaining = Atomic<Int>(0)
    /// How many of the threads (the caller's included) take part in the current job.
    private let participants = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Threads asleep (or about to sleep) on `condition`: workers waiting for a job, a caller for the end.
    private let sleepers = Atomic<Int>(0)
    /// The current job; written before `generation` is incremented, read after it is seen.
    private var job: (@Sendable (Int) -> Void)?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// Starts `workerCount` threads.
    init(workerCount: Int) {
        self.workerCount = workerCount
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for worker in 1...max(1, workerCount) where workerCount > 0 {
            // Unowned and unchecked: `deinit` waits for every worker to leave before memory is freed.
            let thread = Thread { [unowned(unsafe) self] in self.work(index: worker) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        remaining.store(0, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers(always: true)
        // Workers hold `self` unowned: wait until none is inside the loop before the memory goes.
        while remaining.load(ordering: .acquiring) > -workerCount { sched_yield() }
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body(0)` on the calling thread and `body(1)` … `body(participantCount − 1)` on as many
    /// workers (all of them by default), and returns when all have finished.
    func run(participantCount: Int? = nil, _ body: @escaping @Sendable (Int) -> Void) {
        let count = min(participantCount ?? (workerCount + 1), workerCount + 1)
        guard count > 1 else { return body(0) }
        job = body
        participants.store(count, ordering: .relaxed)
        remaining.store(workerCount, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
        body(0)
        wait { self.remaining.load(ordering: .sequentiallyConsistent) == 0 }
        job = nil
    }

    private func work(index: Int) {
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .sequentiallyConsistent) != seen }
            seen = generation.load(ordering: .sequentiallyConsistent)
            if stopping.load(ordering: .acquiring) {
                remaining.subtract(1, ordering: .sequentiallyConsistent)
                return
            }
            // Workers beyond this job's participants sit it out.
            if index < participants.load(ordering: .relaxed) { job?(index) }
            if remaining.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { wakeSleepers() }
        }
    }

    /// Returns once `isDone()`: checking busily for `busySeconds`, then yielding the core between
    /// checks until `spinSeconds`, then asleep until woken by `wakeSleepers`.
    private func wait(until isDone: () -> Bool) {
        if isDone() { return }
        let start = DispatchTime.now().uptimeNanoseconds
        let busyUntil = start + UInt64(Self.busySeconds * 1e9), spinUntil = start + UInt64(Self.spinSeconds * 1e9)
        var checks = 0
        while !isDone() {
            checks += 1
            let now = checks % 16 == 0 ? DispatchTime.now().uptimeNanoseconds : start
            if now > spinUntil {
                pthread_mutex_lock(mutex)
                sleepers.add(1, ordering: .sequentiallyConsistent)
                while !isDone() { pthread_cond_wait(condition, mutex) }
                sleepers.subtract(1, ordering: .relaxed)
                pthread_mutex_unlock(mutex)
                return
            }
            if now > busyUntil { sched_yield() }
        }
    }

    /// Wakes the sleeping threads, if any, so that they check again.
    private func wakeSleepers(always: Bool = false) {
        guard always || sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
