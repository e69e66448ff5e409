/// The messages of a ``KafkaRangeReader``, one at a time, in offset order per partition.
///
/// Iterating takes batches from the reader's bounded hand-over and yields their messages
/// without further allocation. Ends when every range is complete; throws a ``KafkaError``
/// when a range cannot be read completely.
public struct KafkaRangeReaderMessages: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = KafkaMessage

    let reader: KafkaRangeReader

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: KafkaRangeReader
        var batch = KafkaMessageBatch()
        var index = 0

        /// The next element, waiting if needed; `nil` at the end.
        public mutating func next() async throws -> KafkaMessage? {
            while index >= batch.count {
                guard let next = try await reader.loop.handOver.next() else { return nil }
                batch = next
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader) }
}
