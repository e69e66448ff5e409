import RdKafka

/// The headers of a dead letter. The value and key are the original message's bytes.
public enum DeadLetterHeaders {
    /// Stable snake_case reason: a `DecodeError.reasonCode` (`malformed_json`, `missing_field`,
    /// `wrong_type`, `invalid_value`, `invalid_utf8`, `too_large`, `too_deep`, `trailing_data`,
    /// `duplicate_field`), an `EngineError.reasonCode` (`too_late`, `too_far_in_future`,
    /// `non_positive_amount`), or `tombstone` (null value).
    public static let reason = "fraudstream.error.reason"
    /// The JSON field at fault; empty when the message as a whole is.
    public static let field = "fraudstream.error.field"
    /// A human sentence, e.g. `amount: expected a number > 0, found -5 (byte 57)`.
    public static let message = "fraudstream.error.message"
    /// Topic the message was read from.
    public static let sourceTopic = "fraudstream.source.topic"
    /// Its partition (decimal).
    public static let sourcePartition = "fraudstream.source.partition"
    /// Its offset (decimal).
    public static let sourceOffset = "fraudstream.source.offset"

    /// Present when the value was longer than ``maxCopiedBytes`` and only its first
    /// ``maxCopiedBytes`` bytes were copied: the original length (decimal).
    public static let truncatedFrom = "fraudstream.error.truncated_from"
    /// The longest value copied whole into a dead letter (fits librdkafka's default
    /// `message.max.bytes` of 1 MB with room for headers).
    public static let maxCopiedBytes = 900_000

    /// The reason of a null-valued message.
    public static let tombstoneReason = "tombstone"

    static func make(
        reason: String, field: String?, message: String, topic: String, partition: Int32, offset: Int64,
        original: [KafkaHeader]
    ) -> [KafkaHeader] {
        original + [
            KafkaHeader(key: Self.reason, value: reason),
            KafkaHeader(key: Self.field, value: field ?? ""),
            KafkaHeader(key: Self.message, value: message),
            KafkaHeader(key: sourceTopic, value: topic),
            KafkaHeader(key: sourcePartition, value: String(partition)),
            KafkaHeader(key: sourceOffset, value: String(offset)),
        ]
    }
}
