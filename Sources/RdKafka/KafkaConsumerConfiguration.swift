/// Settings of a ``KafkaConsumer``.
///
/// Defaults differ from librdkafka's in two places, on purpose: `enable.auto.commit` and
/// `enable.auto.offset.store` are off, so an offset is committed only after the application
/// stored it (``KafkaConsumer/storeOffsets(_:)``) and asked for a commit — no message is
/// counted as processed before it was.
public struct KafkaConsumerConfiguration: Sendable {
    /// What to do when the group has no committed offset for a partition (`auto.offset.reset`).
    public enum AutoOffsetReset: String, Sendable {
        /// Start from the oldest message still in the partition.
        case earliest
        /// Start from the next message written (Kafka's default).
        case latest
        /// Report an error.
        case error
    }

    /// Which messages of transactional producers a consumer sees (`isolation.level`).
    public enum IsolationLevel: String, Sendable {
        /// Only committed transactional messages (librdkafka's default).
        case readCommitted = "read_committed"
        /// All messages, including those of open and aborted transactions.
        case readUncommitted = "read_uncommitted"
    }

    /// `bootstrap.servers`.
    public var bootstrapServers: [String]
    /// `group.id`: the consumer group.
    public var groupID: String
    /// `client.id`.
    public var clientID: String?
    /// `auto.offset.reset`.
    public var autoOffsetReset: AutoOffsetReset
    /// `enable.auto.commit`: periodically commit *stored* offsets. Off by default.
    public var enableAutoCommit: Bool
    /// `auto.commit.interval.ms`, when ``enableAutoCommit`` is on.
    public var autoCommitInterval: Duration?
    /// `enable.auto.offset.store`: store each message's offset as it is handed over, before it is
    /// processed. Off by default (store explicitly after processing).
    public var enableAutoOffsetStore: Bool
    /// `session.timeout.ms`.
    public var sessionTimeout: Duration?
    /// `max.poll.interval.ms`: the longest the poll thread may be blocked (e.g. by the rebalance
    /// hook) before the consumer is considered dead and leaves the group.
    public var maxPollInterval: Duration?
    /// `partition.assignment.strategy`, e.g. `range,roundrobin` (default) or `cooperative-sticky`.
    public var partitionAssignmentStrategy: String?
    /// `isolation.level`.
    public var isolationLevel: IsolationLevel?
    /// `statistics.interval.ms`; `nil` disables statistics.
    public var statisticsInterval: Duration?
    /// Receives librdkafka's statistics JSON, on the poll thread.
    public var statisticsHandler: (@Sendable (String) -> Void)?
    /// The most messages in one ``KafkaMessageBatch``.
    public var maxBatchSize: Int
    /// How many full batches' worth of messages the hand-over from the poll thread holds before
    /// back-pressure pauses fetching: at most `handOverCapacity × maxBatchSize` messages wait
    /// in Swift. Smaller batches count by their messages (up to `32 × handOverCapacity` of them).
    public var handOverCapacity: Int
    /// Runs on the consumer's poll thread for every batch before it is handed over; the result
    /// travels with the batch as ``KafkaMessageBatch/prepared``. Work that depends only on the
    /// messages (decoding them, say) then overlaps with the application's processing of the
    /// batches before, on another thread. Keep it short and non-blocking: the poll thread
    /// also serves rebalances.
    public var prepareBatch: (@Sendable (KafkaMessageBatch) -> any Sendable)?
    /// When a subscribed topic does not exist, end the message sequence with that error
    /// (instead of logging it and waiting for the topic to appear).
    public var failOnUnknownTopic: Bool
    /// Group membership (default) or every partition assigned directly.
    public var assignment: KafkaPartitionAssignment
    /// Raw librdkafka properties, applied last.
    public var properties: [String: String]

    /// Creates a configuration.
    public init(
        bootstrapServers: [String], groupID: String, clientID: String? = nil,
        autoOffsetReset: AutoOffsetReset = .latest, enableAutoCommit: Bool = false,
        autoCommitInterval: Duration? = nil, enableAutoOffsetStore: Bool = false,
        sessionTimeout: Duration? = nil, maxPollInterval: Duration? = nil,
        partitionAssignmentStrategy: String? = nil, isolationLevel: IsolationLevel? = nil,
        statisticsInterval: Duration? = nil, statisticsHandler: (@Sendable (String) -> Void)? = nil,
        maxBatchSize: Int = 2048, handOverCapacity: Int = 8, failOnUnknownTopic: Bool = true,
        assignment: KafkaPartitionAssignment = .group, properties: [String: String] = [:],
        prepareBatch: (@Sendable (KafkaMessageBatch) -> any Sendable)? = nil
    ) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.clientID = clientID
        self.autoOffsetReset = autoOffsetReset
        self.enableAutoCommit = enableAutoCommit
        self.autoCommitInterval = autoCommitInterval
        self.enableAutoOffsetStore = enableAutoOffsetStore
        self.sessionTimeout = sessionTimeout
        self.maxPollInterval = maxPollInterval
        self.partitionAssignmentStrategy = partitionAssignmentStrategy
        self.isolationLevel = isolationLevel
        self.statisticsInterval = statisticsInterval
        self.statisticsHandler = statisticsHandler
        self.maxBatchSize = maxBatchSize
        self.handOverCapacity = handOverCapacity
        self.failOnUnknownTopic = failOnUnknownTopic
        self.assignment = assignment
        self.properties = properties
        self.prepareBatch = prepareBatch
    }

    /// Creates a configuration from a comma-separated `bootstrap.servers` string.
    public init(bootstrapServers: String, groupID: String, autoOffsetReset: AutoOffsetReset = .latest) {
        self.init(
            bootstrapServers: KafkaConfiguration.split(bootstrapServers), groupID: groupID,
            autoOffsetReset: autoOffsetReset)
    }

    /// The librdkafka properties this configuration sets, in the order they are applied.
    public var librdkafkaProperties: [(key: String, value: String)] {
        var list = PropertyList()
        list.common(bootstrapServers: bootstrapServers, clientID: clientID, statisticsInterval: statisticsInterval)
        list.set("group.id", groupID)
        list.set("auto.offset.reset", autoOffsetReset.rawValue)
        list.set("enable.auto.commit", enableAutoCommit)
        list.set("auto.commit.interval.ms", milliseconds: autoCommitInterval)
        list.set("enable.auto.offset.store", enableAutoOffsetStore)
        list.set("session.timeout.ms", milliseconds: sessionTimeout)
        list.set("max.poll.interval.ms", milliseconds: maxPollInterval)
        list.set("partition.assignment.strategy", partitionAssignmentStrategy)
        list.set("isolation.level", isolationLevel?.rawValue)
        list.raw(properties)
        return list.items
    }
}
