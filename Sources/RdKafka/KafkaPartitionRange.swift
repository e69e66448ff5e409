/// A fixed range of offsets of one partition: `start` (inclusive) up to `end` (exclusive).
///
/// What ``KafkaRangeReader`` reads. Offsets are absolute log positions; a range may contain
/// fewer messages than `end - start` (compacted records and transaction markers take offsets
/// but are never delivered).
public struct KafkaPartitionRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The topic and partition.
    public var topicPartition: KafkaTopicPartition
    /// The first offset of the range.
    public var start: Int64
    /// The offset just past the range: messages at or beyond it are not part of it.
    public var end: Int64

    /// Creates a range. Not validated here: ``KafkaRangeReader`` rejects negative or reversed ones.
    public init(topicPartition: KafkaTopicPartition, start: Int64, end: Int64) {
        self.topicPartition = topicPartition
        self.start = start
        self.end = end
    }

    /// Creates the range `offsets` of `topic[partition]`.
    public init(topic: String, partition: Int32, offsets: Range<Int64>) {
        self.init(
            topicPartition: KafkaTopicPartition(topic: topic, partition: partition), start: offsets.lowerBound,
            end: offsets.upperBound)
    }

    /// `true` when the range holds no offset (`end <= start`).
    public var isEmpty: Bool { end <= start }

    /// The number of offsets in the range: an upper bound on the number of messages in it.
    public var offsetCount: Int64 { isEmpty ? 0 : end - start }

    /// Orders by topic, then partition, then start offset.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.topicPartition, lhs.start, lhs.end) < (rhs.topicPartition, rhs.start, rhs.end)
    }

    /// `topic[partition] start..<end`.
    public var description: String { "\(topicPartition) \(start)..<\(end)" }
}
