/// The delivery reports of a ``KafkaProducer``, in the order librdkafka produced them (per
/// partition, the order messages were acknowledged).
///
/// Bounded: if nobody reads, the producer's delivery-report thread waits, librdkafka's queue
/// fills and ``KafkaProducer/send(_:)`` waits too. Ends after ``KafkaProducer/close(timeout:)``.
public struct KafkaDeliveryReports: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = KafkaDeliveryReport

    let producer: KafkaProducer

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let producer: KafkaProducer
        var chunk: [KafkaDeliveryReport] = []
        var index = 0

        /// The next element, waiting if needed; `nil` at the end.
        public mutating func next() async throws -> KafkaDeliveryReport? {
            while index >= chunk.count {
                guard let next = try await producer.events.reports.next() else { return nil }
                chunk = next
                index = 0
            }
            defer { index += 1 }
            return chunk[index]
        }

        /// All reports available now (at least one, waiting if needed), or `nil` at the end.
        public mutating func nextChunk() async throws -> [KafkaDeliveryReport]? {
            if index < chunk.count {
                defer { chunk = []; index = 0 }
                return Array(chunk[index...])
            }
            return try await producer.events.reports.next()
        }
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(producer: producer) }
}
