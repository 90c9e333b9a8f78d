import Foundation
import Synchronization

/// A few long-lived threads that run the parts of a job alongside the calling thread.
///
/// Training hands the pool one short job per step (the chunks of a batch), hundreds of times per
/// second. Waking a sleeping thread for each one costs more than the job saves on small models, so
/// between jobs the workers spin for a short while (`spinSeconds`) before they sleep.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker keeps checking for a new job before it sleeps.
    static let spinSeconds = 0.0005

    /// Extra threads besides the caller's.
    let workerCount: Int
    /// Incremented for each job (and once more to stop the workers).
    private let generation = Atomic<Int>(0)
    /// Workers still running the current job.
    private let remaining = Atomic<Int>(0)
    /// How many of the threads (the caller's included) take part in the current job.
    private let participants = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
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
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
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
        remaining.store(count - 1, ordering: .releasing)
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        body(0)
        while remaining.load(ordering: .acquiring) > 0 {}
        job = nil
    }

    private func work(index: Int) {
        var seen = 0
        while true {
            // Spin for a moment, then sleep until the next job.
            let spinUntil = DispatchTime.now().uptimeNanoseconds + UInt64(Self.spinSeconds * 1e9)
            while generation.load(ordering: .acquiring) == seen {
                if DispatchTime.now().uptimeNanoseconds > spinUntil {
                    pthread_mutex_lock(mutex)
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                    pthread_mutex_unlock(mutex)
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) {
                remaining.subtract(1, ordering: .releasing)
                return
            }
            // Workers beyond this job's participants sit it out.
            guard index < participants.load(ordering: .relaxed) else { continue }
            job?(index)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}
