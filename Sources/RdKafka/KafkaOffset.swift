/// Kafka offsets are `Int64` positions in a partition's log; these are librdkafka's logical offsets.
///
/// Use them wherever an API takes a start position (``KafkaConsumer/seek(_:timeout:)``, the
/// offsets returned by ``KafkaRebalanceListener/onAssign``).
public enum KafkaOffset {
    /// The oldest message still in the partition.
    public static let beginning: Int64 = -2
    /// The next message to be written (skip everything already there).
    public static let end: Int64 = -1
    /// The group's committed offset (falling back to `auto.offset.reset`).
    public static let stored: Int64 = -1000
    /// No offset.
    public static let invalid: Int64 = -1001
}
