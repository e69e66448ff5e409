import Foundation
import RdKafka

/// A task executor with one thread of its own: the live processor's processing loop runs
/// on it (``LiveProcessor`` prefers it for the loop's task and its child tasks), so that the
/// engine's state stays in one core's caches instead of moving between the cooperative
/// pool's threads with whichever other task ran there last (the output stage's encoding,
/// among others).
///
/// Jobs run in the order they were enqueued. Nothing here blocks on Kafka: the loop awaits
/// the consumer and the producer like any task. The thread ends at ``stop()`` once its
/// queue is empty; a job enqueued after that runs on the global executor.
final class ProcessingThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var queue: [UnownedJob] = []
    private var stopped = false
    /// The thread has ended (set under `condition`).
    private var exited = false

    /// Starts the thread, named `name` (at most 15 bytes are kept).
    init(name: String) {
        let thread = Thread { [self] in
            ThreadName.setCurrent(name)
            run()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        if exited {
            condition.unlock()
            // A task that still prefers this executor after `stop()` must not wait forever:
            // a preference is only a preference.
            globalConcurrentExecutor.enqueue(unowned)
            return
        }
        queue.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs already enqueued have run. Call it when no task prefers
    /// this executor any more.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped {
                exited = true
                condition.unlock()
                return
            }
            swap(&batch, &queue)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
