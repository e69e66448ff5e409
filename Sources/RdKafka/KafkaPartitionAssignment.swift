/// How a ``KafkaConsumer`` gets its partitions.
public enum KafkaPartitionAssignment: String, Sendable, Hashable, CaseIterable {
    /// Subscribe as a member of the consumer group (`group.id`): the group coordinator shares
    /// the partitions among the members and moves them on rebalances, calling the
    /// ``KafkaRebalanceListener`` hooks. A broker makes an empty group wait for more members
    /// before its first assignment (`group.initial.rebalance.delay.ms`, 3 s by default on
    /// Kafka and on the embedded broker), so a lone member's start waits that long.
    case group
    /// Read every partition of the topics, assigned directly at start: no group membership,
    /// no join delay, no rebalances. Offsets are still committed under `group.id` (a broker
    /// accepts such commits while the group has no members). ``KafkaRebalanceListener/onAssign``
    /// runs once at start for all partitions and ``KafkaRebalanceListener/onRevoke`` once at
    /// ``KafkaConsumer/close()``. Run at most one such consumer per `group.id`: nothing stops
    /// a second from reading the same partitions. Partitions added to a topic later are read
    /// only after a restart.
    case allPartitions = "all_partitions"
}
