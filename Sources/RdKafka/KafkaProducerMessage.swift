/// A message to produce.
public struct KafkaProducerMessage: Sendable, Hashable {
    /// The destination topic.
    public var topic: String
    /// The destination partition; `nil` lets the partitioner choose (by key hash, librdkafka's
    /// `consistent_random` by default).
    public var partition: Int32?
    /// The key; `nil` for a null key.
    public var key: [UInt8]?
    /// The value; `nil` produces a tombstone (null payload).
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [KafkaHeader]
    /// Create time in milliseconds since the epoch; `nil` means now.
    public var timestamp: Int64?
    /// Caller-chosen id returned in this message's ``KafkaDeliveryReport``.
    public var id: UInt64

    /// Creates a message from bytes.
    public init(
        topic: String, key: [UInt8]?, value: [UInt8]?, partition: Int32? = nil, headers: [KafkaHeader] = [],
        timestamp: Int64? = nil, id: UInt64 = 0
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.id = id
    }

    /// Creates a message whose key and value are the UTF-8 encodings of strings.
    public init(
        topic: String, key: String?, value: String?, partition: Int32? = nil, headers: [KafkaHeader] = [],
        timestamp: Int64? = nil, id: UInt64 = 0
    ) {
        self.init(
            topic: topic, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) },
            partition: partition, headers: headers, timestamp: timestamp, id: id)
    }
}
