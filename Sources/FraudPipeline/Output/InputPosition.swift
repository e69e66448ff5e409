/// Where an input event was read: a Kafka topic, partition and offset, or for a file
/// replay the file (`topic`), partition 0 and the line number from 1 (`offset`).
public struct InputPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Topic (or file) name.
    public var topic: String
    /// Partition (0 for a file).
    public var partition: Int32
    /// Offset in the partition (line index for a file).
    public var offset: Int64

    /// Creates a position.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// `topic[partition]@offset`.
    public var description: String { "\(topic)[\(partition)]@\(offset)" }

    public static func < (a: InputPosition, b: InputPosition) -> Bool {
        (a.topic, a.partition, a.offset) < (b.topic, b.partition, b.offset)
    }
}
