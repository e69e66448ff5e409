/// The messages of a ``KafkaConsumer``, one at a time, in partition order.
///
/// Iterating takes batches from the consumer's bounded hand-over and yields their messages
/// without further allocation. Several iterators share the hand-over (each batch goes to one).
/// Ends when the consumer is closed; throws a ``KafkaError`` on a fatal error or, by default, a
/// missing subscribed topic.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = KafkaMessage

    let consumer: KafkaConsumer

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        var batch = KafkaMessageBatch()
        var index = 0

        /// The next element, waiting if needed; `nil` at the end.
        public mutating func next() async throws -> KafkaMessage? {
            while index >= batch.count {
                guard let next = try await consumer.loop.handOver.next() else { return nil }
                batch = next
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
}
