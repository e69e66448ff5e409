internal import CRdKafka
import Logging

/// A consumer-group member: subscribes to topics, hands messages to async code, stores and
/// commits offsets, and leaves the group cleanly on ``close()``. (Or, with
/// ``KafkaPartitionAssignment/allPartitions``, a lone reader of every partition that commits
/// under the group's id without joining it.)
///
/// A dedicated poll thread (never Swift's cooperative pool) polls librdkafka in batches and
/// hands them over through a bounded buffer (``KafkaConsumerConfiguration/handOverCapacity``
/// batches). When the buffer is full the consumer pauses its partitions and keeps polling, so
/// rebalances are still served, and resumes where it stopped once the application catches up:
/// memory stays bounded however slow the application is.
///
/// Offsets: by default nothing is stored or committed automatically. After processing, call
/// ``storeOffsets(of:)`` (or ``storeOffset(of:)``), then ``commit()`` (waits) or
/// ``commitAsync()``; with ``KafkaConsumerConfiguration/enableAutoCommit`` stored offsets are
/// committed periodically and on revoke.
///
/// ```swift
/// let consumer = try KafkaConsumer(
///     configuration: .init(bootstrapServers: "127.0.0.1:9092", groupID: "scorer", autoOffsetReset: .earliest),
///     topics: ["transactions"])
/// for try await message in consumer.messages {
///     handle(message)
///     try consumer.storeOffset(of: message)
/// }
/// ```
public final class KafkaConsumer: Sendable {
    let client: RDKafkaClient
    let loop: ConsumerPollLoop
    /// The subscribed topics.
    public let topics: [String]
    private let properties: [(key: String, value: String)]

    /// Creates the consumer, subscribes to `topics` (or, with
    /// ``KafkaPartitionAssignment/allPartitions``, assigns all their partitions from its poll
    /// thread as soon as the cluster's metadata names them) and starts its poll thread.
    ///
    /// - Parameters:
    ///   - rebalanceListener: hooks run before partitions are assigned or revoked (see
    ///     ``KafkaRebalanceListener``). Given here so the first assignment is not missed.
    /// - Throws: ``KafkaError`` for an invalid configuration (naming an unknown property) or
    ///   subscription. Does not contact the brokers; use ``checkConnection(timeout:)`` for that.
    public init(
        configuration: KafkaConsumerConfiguration, topics: [String],
        rebalanceListener: KafkaRebalanceListener? = nil,
        logger: Logger = Logger(label: "rdkafka.consumer")
    ) throws {
        precondition(!topics.isEmpty, "subscribe to at least one topic")
        let client = try RDKafkaClient(
            kind: .consumer, properties: configuration.librdkafkaProperties, logger: logger,
            statisticsHandler: configuration.statisticsHandler,
            configure: ConsumerPollLoop.installCallbacks(on:))
        // Errors, statistics and commit results are served by the poll thread's consumer polls.
        rd_kafka_poll_set_consumer(client.handle)
        if configuration.assignment == .group {
            try TopicPartitionList.withList(topics.map { KafkaTopicPartition(topic: $0, partition: -1) }) {
                (list) throws(KafkaError) in
                try KafkaError.check(rd_kafka_subscribe(client.handle, list), context: "subscribe to \(topics)")
            }
        }
        self.client = client
        self.topics = topics
        self.properties = configuration.librdkafkaProperties
        self.loop = ConsumerPollLoop(
            client: client, listener: rebalanceListener, maxBatchSize: configuration.maxBatchSize,
            handOverCapacity: configuration.handOverCapacity, failOnUnknownTopic: configuration.failOnUnknownTopic,
            directTopics: configuration.assignment == .allPartitions ? topics : nil,
            prepareBatch: configuration.prepareBatch)
        loop.start()
    }

    deinit {
        // Leaves the group from the poll thread, which then destroys the handle.
        loop.requestClose { _ in }
    }

    /// The consumed messages, one at a time.
    public var messages: KafkaConsumerMessages { KafkaConsumerMessages(consumer: self) }

    /// The consumed messages, batch by batch (fastest).
    public var batches: KafkaConsumerBatches { KafkaConsumerBatches(consumer: self) }

    // MARK: Offsets

    /// Stores offsets to be committed: for each partition, the offset of the *next* message to
    /// consume (last processed offset + 1). Cheap; does not contact the broker.
    public func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws {
        guard !offsets.isEmpty else { return }
        try TopicPartitionList.withList(offsets: offsets) { (list) throws(KafkaError) in
            try KafkaError.check(rd_kafka_offsets_store(client.handle, list), context: "offset store")
            if let error = TopicPartitionList.firstError(list, context: "offset store") { throw error }
        }
    }

    /// Marks `message` as processed: stores its offset + 1 for the next commit.
    public func storeOffset(of message: KafkaMessage) throws {
        try storeOffsets([message.topicPartition: message.offset + 1])
    }

    /// Marks every message of `batch` as processed.
    public func storeOffsets(of batch: KafkaMessageBatch) throws {
        try storeOffsets(batch.nextOffsets)
    }

    /// Commits the stored offsets and waits for the broker's answer (off the cooperative pool).
    /// Succeeds when there is nothing to commit.
    public func commit() async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            let err = rd_kafka_commit(client.handle, nil, 0)
            if err != RD_KAFKA_RESP_ERR__NO_OFFSET { try KafkaError.check(err, context: "commit") }
        }
    }

    /// Commits the given next-offsets (not the stored ones) and waits for the broker's answer.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            try TopicPartitionList.withList(offsets: offsets) { (list) throws(KafkaError) in
                try KafkaError.check(rd_kafka_commit(client.handle, list, 0), context: "commit")
                if let error = TopicPartitionList.firstError(list, context: "commit") { throw error }
            }
        }
    }

    /// Starts a commit of the stored offsets and returns at once; a failure is logged.
    public func commitAsync() throws {
        let err = rd_kafka_commit(client.handle, nil, 1)
        if err != RD_KAFKA_RESP_ERR__NO_OFFSET { try KafkaError.check(err, context: "commit") }
    }

    /// The group's committed next-offsets for `partitions` (``KafkaOffset/invalid`` when none).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartition: Int64]
    {
        try await Blocking.run { [client] () throws(KafkaError) in
            try TopicPartitionList.withList(partitions) { (list) throws(KafkaError) in
                try KafkaError.check(
                    rd_kafka_committed(client.handle, list, Int32(timeout.milliseconds)), context: "committed")
                return TopicPartitionList.offsets(list)
            }
        }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws -> [KafkaTopicPartition] {
        var list: TopicPartitionList.Pointer?
        try KafkaError.check(rd_kafka_assignment(client.handle, &list), context: "assignment")
        guard let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return TopicPartitionList.partitions(list).sorted()
    }

    // MARK: Flow control and positioning

    /// Stops fetching `partitions` until ``resume(_:)``. Messages already handed over are
    /// still delivered. Runs on the poll thread.
    public func pause(_ partitions: [KafkaTopicPartition]) async throws {
        try await onPollThread { .pause(partitions, $0) }
    }

    /// Resumes fetching `partitions` where consumption stopped.
    public func resume(_ partitions: [KafkaTopicPartition]) async throws {
        try await onPollThread { .resume(partitions, $0) }
    }

    /// Moves the consume position of assigned partitions to the given offsets (absolute, or
    /// ``KafkaOffset/beginning``/``KafkaOffset/end``). Messages of those partitions fetched but
    /// not yet taken from the sequences are dropped, so the next message of each partition is
    /// the one sought. Runs on the poll thread.
    public func seek(_ offsets: [KafkaTopicPartition: Int64], timeout: Duration = .seconds(10)) async throws {
        try await onPollThread { .seek(offsets, timeout, $0) }
    }

    /// For each partition, the offset of the first message whose timestamp is at or after the
    /// given one (milliseconds since the epoch); ``KafkaOffset/end`` (-1) when there is none.
    ///
    /// Asks the broker (ListOffsets). Brokers that cannot search by time — the embedded mock
    /// cluster answers "none" to every such request — are detected by reading the partition's
    /// last message, and the partition is then scanned from its oldest message (bounded by
    /// `timeout`); on a real broker that costs at most one extra fetch when the answer is "none".
    public func offsetsForTimes(_ timestamps: [KafkaTopicPartition: Int64], timeout: Duration = .seconds(10))
        async throws -> [KafkaTopicPartition: Int64]
    {
        let scan = TimestampScan(properties: properties, logger: client.logger)
        return try await Blocking.run { [client] () throws(KafkaError) in
            var offsets = try TopicPartitionList.withList(offsets: timestamps) { (list) throws(KafkaError) in
                try KafkaError.check(
                    rd_kafka_offsets_for_times(client.handle, list, Int32(timeout.milliseconds)),
                    context: "offsets for times")
                if let error = TopicPartitionList.firstError(list, context: "offsets for times") { throw error }
                return TopicPartitionList.offsets(list)
            }
            for (tp, offset) in offsets where offset == KafkaOffset.end {
                offsets[tp] = try scan.firstOffset(of: tp, atOrAfter: timestamps[tp]!, timeout: timeout)
            }
            return offsets
        }
    }

    /// Seeks `partitions` (default: the current assignment) to the first message at or after
    /// `timestamp` (milliseconds since the epoch); partitions with no such message go to the end.
    public func seek(toTimestamp timestamp: Int64, partitions: [KafkaTopicPartition]? = nil,
                     timeout: Duration = .seconds(10)) async throws {
        let targets = try partitions ?? assignment()
        guard !targets.isEmpty else { return }
        let offsets = try await offsetsForTimes(
            Dictionary(uniqueKeysWithValues: targets.map { ($0, timestamp) }), timeout: timeout)
        try await seek(offsets.mapValues { $0 < 0 ? KafkaOffset.end : $0 }, timeout: timeout)
    }

    /// The low (oldest kept) and high (next to be written) offsets of a partition, from the broker.
    public func watermarks(of partition: KafkaTopicPartition, timeout: Duration = .seconds(10)) async throws
        -> (low: Int64, high: Int64)
    {
        try await Blocking.run { [client] () throws(KafkaError) in
            var low: Int64 = 0
            var high: Int64 = 0
            try KafkaError.check(
                rd_kafka_query_watermark_offsets(
                    client.handle, partition.topic, partition.partition, &low, &high, Int32(timeout.milliseconds)),
                context: "watermarks of \(partition)")
            return (low, high)
        }
    }

    /// The high watermark (next offset to be written) of `partition` as last reported by a
    /// fetch response, or nil when not known yet. Cached by librdkafka: never blocks and
    /// never contacts the broker, so it may be called from async code.
    public func cachedHighWatermark(of partition: KafkaTopicPartition) -> Int64? {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_get_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return high
    }

    // MARK: Group, cluster, lifecycle

    /// This member's group metadata, for ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
    public func groupMetadata() throws -> KafkaConsumerGroupMetadata {
        guard let pointer = rd_kafka_consumer_group_metadata(client.handle) else {
            throw KafkaError(code: .invalidState, message: "no consumer group metadata")
        }
        return KafkaConsumerGroupMetadata(pointer: pointer)
    }

    /// Cluster metadata (brokers, all topics). Never creates topics.
    public func metadata(timeout: Duration = .seconds(10)) async throws -> KafkaClusterMetadata {
        try await Blocking.run { [client] () throws(KafkaError) in try client.metadata(timeout: timeout) }
    }

    /// Throws a clear ``KafkaError`` if no broker answers within `timeout`.
    public func checkConnection(timeout: Duration = .seconds(10)) async throws {
        _ = try await metadata(timeout: timeout)
    }

    /// Leaves the group cleanly and stops the poll thread: the rebalance hook's `onRevoke` runs
    /// for the current assignment (commit there), librdkafka closes the consumer on the poll
    /// thread, then the message sequences end. Safe to call more than once.
    public func close() async throws {
        let error: KafkaError? = await withCheckedContinuation { continuation in
            loop.requestClose { continuation.resume(returning: $0) }
        }
        if let error { throw error }
    }

    private func onPollThread(
        _ make: (@escaping @Sendable (KafkaError?) -> Void) -> ConsumerPollLoop.Command
    ) async throws {
        let error: KafkaError? = await withCheckedContinuation { continuation in
            loop.submit(make { continuation.resume(returning: $0) })
        }
        if let error { throw error }
    }

    /// How often back-pressure paused fetching because the application did not take the
    /// batches fast enough (each pause discards librdkafka's prefetched messages, which are
    /// fetched again after the resume).
    public var backPressurePauseCount: Int { loop.backPressurePauses }
}
