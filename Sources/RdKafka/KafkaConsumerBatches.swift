/// The messages of a ``KafkaConsumer`` as the batches the poll thread handed over.
///
/// The fastest way to consume: one suspension per batch, messages read in place. Ends when the
/// consumer is closed; throws a ``KafkaError`` on a fatal error or a missing subscribed topic.
public struct KafkaConsumerBatches: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = KafkaMessageBatch

    let consumer: KafkaConsumer

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer

        /// The next element, waiting if needed; `nil` at the end.
        public mutating func next() async throws -> KafkaMessageBatch? {
            try await consumer.loop.handOver.next()
        }
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
}
