/// The outcome of producing one message: acknowledged by the broker, or failed for good.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The id given when the message was sent (0 if none).
    public var id: UInt64
    /// The topic.
    public var topic: String
    /// The partition the message went to (-1 if it never got one).
    public var partition: Int32
    /// The offset assigned by the broker, or -1 when not known.
    public var offset: Int64
    /// Why delivery failed; `nil` when the message was acknowledged.
    public var error: KafkaError?

    /// `true` when the broker acknowledged the message.
    public var isDelivered: Bool { error == nil }

    /// Creates a report.
    public init(id: UInt64, topic: String, partition: Int32, offset: Int64, error: KafkaError?) {
        self.id = id
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.error = error
    }
}
