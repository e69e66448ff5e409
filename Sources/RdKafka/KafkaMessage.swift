/// A consumed Kafka record.
///
/// `key` and `value` are slices of the buffer of the ``KafkaMessageBatch`` they came from: no
/// per-message allocation, and the slice keeps that buffer alive. Like every `ArraySlice`, their
/// indices start at the slice's `startIndex`, not 0; use `withUnsafeBytes`, `Array(_:)` or
/// ``valueString`` when in doubt.
public struct KafkaMessage: Sendable, Hashable {
    /// The topic the message was read from.
    public var topic: String
    /// The partition the message was read from.
    public var partition: Int32
    /// The message's offset in its partition.
    public var offset: Int64
    /// The key bytes; `nil` for a null key.
    public var key: ArraySlice<UInt8>?
    /// The value bytes; `nil` for a null payload (a *tombstone*, e.g. a compaction delete).
    public var value: ArraySlice<UInt8>?
    /// Milliseconds since the Unix epoch, or `nil` when the record has none.
    public var timestamp: Int64?
    /// What ``timestamp`` means.
    public var timestampType: KafkaTimestampType
    /// The record headers, in order.
    public var headers: [KafkaHeader]

    /// Creates a message (useful for tests of code that processes messages).
    public init(
        topic: String, partition: Int32, offset: Int64, key: ArraySlice<UInt8>?, value: ArraySlice<UInt8>?,
        timestamp: Int64? = nil, timestampType: KafkaTimestampType = .notAvailable, headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.headers = headers
    }

    /// The topic and partition of the message.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The key decoded as UTF-8 (invalid sequences replaced), or `nil` for a null key.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    /// The value decoded as UTF-8 (invalid sequences replaced), or `nil` for a tombstone.
    public var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }

    /// `true` when the value is null (a tombstone).
    public var isTombstone: Bool { value == nil }
}
