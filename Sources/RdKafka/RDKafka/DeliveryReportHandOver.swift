import Foundation

/// Bounded hand-over of delivery-report chunks from the producer's event thread to async code.
/// The thread blocks in `push` while the buffer is full (that is the back-pressure).
///
/// `@unchecked Sendable` invariant: all mutable state is accessed with `condition` locked.
final class DeliveryReportHandOver: @unchecked Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<[KafkaDeliveryReport]?, any Error>
    }

    private let condition = NSCondition()
    private var buffer: [[KafkaDeliveryReport]] = []
    private var head = 0
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0
    /// Waiters cancelled before they registered, and the highest id that has registered.
    private var cancelledBeforeRegistering: Set<UInt64> = []
    private var lastRegisteredID: UInt64 = 0
    private var finished = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Event thread: hands a chunk over, waiting while full. Returns false once finished.
    @discardableResult
    func push(_ chunk: [KafkaDeliveryReport]) -> Bool {
        condition.lock()
        while !finished && waiters.isEmpty && buffer.count - head >= capacity { condition.wait() }
        if finished {
            condition.unlock()
            return false
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            condition.unlock()
            waiter.continuation.resume(returning: chunk)
            return true
        }
        buffer.append(chunk)
        condition.unlock()
        return true
    }

    /// Ends the sequence after the buffered chunks; unblocks a waiting `push`.
    func finish() {
        condition.lock()
        finished = true
        let pending = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for waiter in pending { waiter.continuation.resume(returning: nil) }
    }

    private func popLocked() -> [KafkaDeliveryReport]? {
        guard head < buffer.count else { return nil }
        let chunk = buffer[head]
        head += 1
        if head > 64 && head * 2 > buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        condition.signal()
        return chunk
    }

    private enum Take {
        case chunk([KafkaDeliveryReport])
        case end
        case wait(UInt64)
    }

    /// Takes a chunk if one is buffered; otherwise either ends or reserves a waiter id.
    private func take() -> Take {
        condition.lock()
        defer { condition.unlock() }
        if let chunk = popLocked() { return .chunk(chunk) }
        if finished { return .end }
        nextID += 1
        return .wait(nextID)
    }

    private func register(_ id: UInt64, _ continuation: CheckedContinuation<[KafkaDeliveryReport]?, any Error>) {
        condition.lock()
        lastRegisteredID = id
        if cancelledBeforeRegistering.remove(id) != nil {
            condition.unlock()
            continuation.resume(throwing: CancellationError())
        } else if let chunk = popLocked() {
            condition.unlock()
            continuation.resume(returning: chunk)
        } else if finished {
            condition.unlock()
            continuation.resume(returning: nil)
        } else {
            waiters.append(Waiter(id: id, continuation: continuation))
            condition.broadcast()  // a waiter lets a blocked push hand over directly
            condition.unlock()
        }
    }

    private func cancel(_ id: UInt64) {
        condition.lock()
        let index = waiters.firstIndex { $0.id == id }
        let waiter = index.map { waiters.remove(at: $0) }
        // Cancelled before registering (or before `next` got this far): registration must
        // not wait for a chunk that may never come.
        if waiter == nil && id > lastRegisteredID { cancelledBeforeRegistering.insert(id) }
        condition.unlock()
        waiter?.continuation.resume(throwing: CancellationError())
    }

    func next() async throws -> [KafkaDeliveryReport]? {
        switch take() {
        case .chunk(let chunk): return chunk
        case .end: return nil
        case .wait(let id):
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { register(id, $0) }
            } onCancel: {
                cancel(id)
            }
        }
    }
}
