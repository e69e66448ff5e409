/// Where a consumed message's timestamp comes from.
public enum KafkaTimestampType: Sendable, Hashable {
    /// The message has no timestamp.
    case notAvailable
    /// Set by the producer when the record was created (Kafka's `CreateTime`).
    case createTime
    /// Set by the broker when the record was appended (Kafka's `LogAppendTime`).
    case logAppendTime
}
