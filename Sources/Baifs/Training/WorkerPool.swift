import Foundation
import Synchronization

/// A few long-lived threads that help the calling thread with its jobs.
///
/// Training hands the pool one short job per step (the chunks of a batch), hundreds of times per
/// second, so a worker that has just finished a job first watches for the next one for a moment
/// (`spinSeconds`) rather than sleeping at once: waking a sleeping thread costs more than a small
/// job. The watching backs off (checks, then yielding the core to any other runnable thread) and
/// ends in sleep, so that idle workers never hold a core another process needs.
///
/// A worker joins a job only while the caller is still working on it, and the caller waits only
/// for the workers that joined: a worker that the system has set aside (another process has the
/// core) never holds up a step. Jobs must therefore share their work out dynamically (each thread
/// takes the next piece not yet taken), so that the caller alone can finish it.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker (or a waiting caller) checks for news before it sleeps.
    static let spinSeconds = 0.0002
    /// How long it checks without yielding its core first.
    static let busySeconds = 0.00002

    /// Extra threads besides the caller's.
    let workerCount: Int
    /// Incremented for each job (and once more to stop the workers).
    private let generation = Atomic<Int>(0)
    /// The generation of the job that workers may still join, or 0 once the caller has finished its part.
    private let openJob = Atomic<Int>(0)
    /// Workers inside a job.
    private let running = Atomic<Int>(0)
    /// Workers that have left their loop, when stopping.
    private let exited = Atomic<Int>(0)
    /// How many of the threads (the caller's included) may take part in the current job.
    private let participants = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Threads asleep (or about to sleep) on `condition`: workers waiting for a job, a caller for the end.
    private let sleepers = Atomic<Int>(0)
    /// The current job; written before `generation` is incremented, read only by a worker that joined.
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
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers(always: true)
        // Workers hold `self` unowned: wait until none is inside the loop before the memory goes.
        while exited.load(ordering: .sequentiallyConsistent) < workerCount {
            wakeSleepers(always: true)
            sched_yield()
        }
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body(0)` on the calling thread and `body(i)` for `i` in `1 ..< participantCount` on the
    /// workers that come while it runs, and returns when all of those have finished.
    func run(participantCount: Int? = nil, _ body: @escaping @Sendable (Int) -> Void) {
        let count = min(participantCount ?? (workerCount + 1), workerCount + 1)
        guard count > 1 else { return body(0) }
        job = body
        participants.store(count, ordering: .sequentiallyConsistent)
        let id = generation.add(1, ordering: .sequentiallyConsistent).newValue
        openJob.store(id, ordering: .sequentiallyConsistent)
        wakeSleepers()
        body(0)
        // Close the job: a worker that has not joined by now stays out of it.
        openJob.store(0, ordering: .sequentiallyConsistent)
        wait { self.running.load(ordering: .sequentiallyConsistent) == 0 }
        job = nil
    }

    private func work(index: Int) {
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .sequentiallyConsistent) != seen }
            seen = generation.load(ordering: .sequentiallyConsistent)
            if stopping.load(ordering: .sequentiallyConsistent) {
                exited.add(1, ordering: .sequentiallyConsistent)
                return
            }
            // Join (counted first, so that the caller waits for us) unless the job is closed.
            running.add(1, ordering: .sequentiallyConsistent)
            if openJob.load(ordering: .sequentiallyConsistent) == seen && index < participants.load(ordering: .sequentiallyConsistent) {
                job?(index)
            }
            if running.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { wakeSleepers() }
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
