/// A topic to create with ``KafkaAdminClient/createTopics(_:timeout:)``.
public struct KafkaNewTopic: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor (copies of each partition, ≤ the number of brokers).
    public var replicationFactor: Int
    /// Topic configuration, e.g. `["cleanup.policy": "compact", "retention.ms": "604800000"]`.
    public var config: [String: String]

    /// Creates a topic description.
    public init(name: String, partitions: Int, replicationFactor: Int = 1, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}
