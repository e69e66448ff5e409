/// Partitions taken away from this consumer by a rebalance.
public struct KafkaRevocation: Sendable {
    /// The partitions being revoked.
    public var partitions: [KafkaTopicPartition]
    /// `true` when the assignment was *lost* (e.g. the session timed out) rather than revoked
    /// in an orderly way: another member may already own the partitions and commits will fail.
    public var isLost: Bool

    /// Creates a revocation.
    public init(partitions: [KafkaTopicPartition], isLost: Bool) {
        self.partitions = partitions
        self.isLost = isLost
    }
}

/// The rebalance hook: lets the application act before partitions move.
///
/// Both closures run on behalf of the consumer's poll thread, which **waits for them to
/// return** before it calls librdkafka's assign/unassign — so the assignment changes only
/// after the application is done. While a closure runs, the consumer fetches nothing, serves
/// no other callback and does not heartbeat via polling: keep it shorter than
/// `max.poll.interval.ms`.
///
/// Before ``onRevoke`` runs, messages of the revoked partitions that were fetched but not yet
/// taken from the consumer's sequences are dropped: the next owner reads them again from the
/// committed offset. A batch the application already took may still be in processing; the
/// hook should wait for it (e.g. through the actor that processes messages), then store and
/// commit offsets (``KafkaConsumer/commit()``) and checkpoint.
///
/// The hooks must not capture the consumer strongly (that would keep it alive): capture it
/// weakly or through a box set after creation.
///
/// Inside the hooks, do not call ``KafkaConsumer/seek(_:timeout:)``, ``KafkaConsumer/pause(_:)``,
/// ``KafkaConsumer/resume(_:)`` or ``KafkaConsumer/close()``: they are executed by the waiting
/// poll thread and would deadlock. Commits, offset stores and metadata calls are fine.
public struct KafkaRebalanceListener: Sendable {
    /// Called with newly assigned partitions before they are assigned. Return start offsets for
    /// any of them (e.g. restored from a checkpoint); others start at the committed offset.
    public var onAssign: @Sendable ([KafkaTopicPartition]) async -> [KafkaTopicPartition: Int64]
    /// Called with partitions about to be revoked, before they are unassigned.
    public var onRevoke: @Sendable (KafkaRevocation) async -> Void

    /// Creates a listener; both hooks default to doing nothing.
    public init(
        onAssign: @escaping @Sendable ([KafkaTopicPartition]) async -> [KafkaTopicPartition: Int64] = { _ in [:] },
        onRevoke: @escaping @Sendable (KafkaRevocation) async -> Void = { _ in }
    ) {
        self.onAssign = onAssign
        self.onRevoke = onRevoke
    }
}
