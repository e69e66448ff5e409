/// The messages of a ``KafkaRangeReader`` as the batches its thread handed over.
///
/// Messages of a partition come in offset order, within and across batches. Ends when every
/// range is complete; throws a ``KafkaError`` when a range cannot be read completely.
/// Several iterators share the reader's hand-over (each batch goes to one).
public struct KafkaRangeReaderBatches: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = KafkaMessageBatch

    let reader: KafkaRangeReader

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: KafkaRangeReader

        /// The next element, waiting if needed; `nil` at the end.
        public mutating func next() async throws -> KafkaMessageBatch? {
            try await reader.loop.handOver.next()
        }
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader) }
}
