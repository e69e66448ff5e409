/// The bounded hand-over from the consumer's poll thread to async code.
///
/// The poll thread only pushes when `hasSpace` (it never blocks here); when the buffer is full
/// it pauses fetching instead. Consumers await `next()`. Capacity is counted in messages
/// (`capacity` full batches), with a looser bound on the number of small batches.
final class ConsumerHandOver: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<KafkaMessageBatch?, any Error>
    }

    private struct State {
        var buffer: [KafkaMessageBatch] = []
        var head = 0
        var waiters: [Waiter] = []
        /// Waiters cancelled before they registered (see ``next()``'s cancellation handler).
        var cancelledBeforeRegistering: Set<UInt64> = []
        /// The highest waiter id that has gone through registration.
        var lastRegisteredID: UInt64 = 0
        var nextWaiterID: UInt64 = 0
        var finished = false
        var failure: KafkaError?
        var wakeOnSpace = false
        var highWaterMark = 0
        /// Messages in the buffered batches.
        var messages = 0
        var count: Int { buffer.count - head }
    }

    /// Full batches that may wait: at most `capacity × maxBatchSize` messages (see ``hasSpace``).
    let capacity: Int
    /// The most messages in one batch.
    let maxBatchSize: Int
    private let state = Locked(State())
    /// Called (outside the lock) when space frees up while the poll thread asked to be woken.
    private let onSpace: @Sendable () -> Void

    init(capacity: Int, maxBatchSize: Int = 1, onSpace: @escaping @Sendable () -> Void) {
        self.capacity = max(1, capacity)
        self.maxBatchSize = max(1, maxBatchSize)
        self.onSpace = onSpace
    }

    /// Messages that may wait in all: `capacity` full batches.
    private var messageCapacity: Int { capacity * maxBatchSize }
    /// Batches that may wait: more than `capacity` when they are small. A consumer keeping
    /// up with a steady stream gets a small batch per fetch response, a millisecond apart;
    /// counting those as full batches made a stall of the application of a few milliseconds
    /// pause the partitions (discarding librdkafka's prefetch, then fetching it again), which
    /// turned into tens of milliseconds of latency. The bound in messages is unchanged.
    private var batchCapacity: Int { capacity * 32 }

    /// Poll thread: is there room for one more (full) batch?
    var hasSpace: Bool {
        state.withLock { $0.count < batchCapacity && $0.messages + maxBatchSize <= messageCapacity }
    }

    /// True when at most half the capacity is in use (back-pressure resumes from there).
    var isAtMostHalfFull: Bool {
        state.withLock { $0.count <= batchCapacity / 2 && $0.messages <= messageCapacity / 2 }
    }

    /// Poll thread: ask to be woken (via `onSpace`) once a batch is taken.
    func requestWakeOnSpace() { state.withLock { $0.wakeOnSpace = true } }

    /// The most messages that were ever buffered at once (for tests and diagnostics).
    var highWaterMark: Int { state.withLock { $0.highWaterMark } }

    /// Poll thread: hands a batch over (to a waiting consumer directly, else into the buffer).
    func push(_ batch: KafkaMessageBatch) {
        let waiter: Waiter? = state.withLock { s in
            if s.finished { return nil }
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.buffer.append(batch)
            s.messages += batch.count
            s.highWaterMark = max(s.highWaterMark, s.messages)
            return nil
        }
        waiter?.continuation.resume(returning: batch)
    }

    /// Poll thread: drops buffered messages of `partitions` (revoked or sought partitions).
    func remove(_ partitions: Set<KafkaTopicPartition>) {
        guard !partitions.isEmpty else { return }
        state.withLock { s in
            var kept: [KafkaMessageBatch] = []
            var messages = 0
            for batch in s.buffer[s.head...] {
                let filtered = batch.removing(partitions)
                if !filtered.isEmpty {
                    kept.append(filtered)
                    messages += filtered.count
                }
            }
            s.buffer = kept
            s.messages = messages
            s.head = 0
        }
    }

    /// Ends the sequence after the buffered batches, optionally with an error.
    func finish(error: KafkaError? = nil) {
        let waiters: [Waiter] = state.withLock { s in
            guard !s.finished else { return [] }
            s.finished = true
            s.failure = error
            // Waiters only exist while the buffer is empty, so they get the end right away.
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters {
            if let error { w.continuation.resume(throwing: error) } else { w.continuation.resume(returning: nil) }
        }
    }

    /// Async side: the next batch, or `nil` at the end.
    func next() async throws -> KafkaMessageBatch? {
        enum Immediate { case batch(KafkaMessageBatch, wake: Bool), end(KafkaError?), wait }
        let immediate: Immediate = state.withLock { s in
            if s.count > 0 {
                let batch = s.buffer[s.head]
                s.head += 1
                s.messages -= batch.count
                if s.head > 64 && s.head * 2 > s.buffer.count {
                    s.buffer.removeFirst(s.head)
                    s.head = 0
                }
                let wake = s.wakeOnSpace
                s.wakeOnSpace = false
                return .batch(batch, wake: wake)
            }
            if s.finished { return .end(s.failure) }
            return .wait
        }
        switch immediate {
        case .batch(let batch, let wake):
            if wake { onSpace() }
            return batch
        case .end(let error):
            if let error { throw error }
            return nil
        case .wait:
            break
        }
        try Task.checkCancellation()
        let id = state.withLock { s -> UInt64 in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                enum Action { case deliver(KafkaMessageBatch, wake: Bool), end(KafkaError?), stored(wake: Bool), cancelled }
                let action: Action = state.withLock { s in
                    s.lastRegisteredID = id
                    if s.cancelledBeforeRegistering.remove(id) != nil { return .cancelled }
                    if s.count > 0 {
                        let batch = s.buffer[s.head]
                        s.head += 1
                        s.messages -= batch.count
                        let wake = s.wakeOnSpace
                        s.wakeOnSpace = false
                        return .deliver(batch, wake: wake)
                    }
                    if s.finished { return .end(s.failure) }
                    s.waiters.append(Waiter(id: id, continuation: continuation))
                    // A waiting consumer means the buffer is empty: the poll thread may resume.
                    let wake = s.wakeOnSpace
                    s.wakeOnSpace = false
                    return .stored(wake: wake)
                }
                switch action {
                case .deliver(let batch, let wake):
                    if wake { onSpace() }
                    continuation.resume(returning: batch)
                case .end(let error):
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
                case .stored(let wake):
                    if wake { onSpace() }
                case .cancelled:
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { s in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else {
                    // Cancelled before registering: registration must not wait then.
                    if id > s.lastRegisteredID { s.cancelledBeforeRegistering.insert(id) }
                    return nil
                }
                return s.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
