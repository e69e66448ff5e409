import Foundation

/// A bounded blocking queue of batches between two dedicated threads (never Swift's
/// cooperative pool): `push` waits while `capacity` batches are queued, `pop` while none is.
final class BatchQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func push(_ element: Element) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(element)
        condition.broadcast()
        condition.unlock()
    }

    /// Pushes unless the queue is full; returns whether it did.
    func tryPush(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard items.count < capacity else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    func pop() -> Element {
        condition.lock()
        while items.isEmpty { condition.wait() }
        let element = items.removeFirst()
        condition.broadcast()
        condition.unlock()
        return element
    }
}
