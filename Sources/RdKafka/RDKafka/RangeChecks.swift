internal import CRdKafka
import Logging

/// Broker look-ups and checks shared by ``KafkaRangeReader/resolve(topics:from:to:configuration:timeout:logger:)``
/// and the range reader's start-up. Every function blocks: call them off the cooperative pool.
enum RangeChecks {
    /// A deadline for a sequence of blocking calls that share one timeout.
    struct Deadline {
        let timeout: Duration
        let instant: ContinuousClock.Instant

        init(_ timeout: Duration) {
            self.timeout = timeout
            self.instant = ContinuousClock.now + timeout
        }

        /// The time left, or a `_TIMED_OUT` error naming `what` when none is.
        func remaining(_ what: String) throws(KafkaError) -> Duration {
            let left = instant - ContinuousClock.now
            guard left > .milliseconds(1) else {
                throw KafkaError(code: .timedOut, message: "\(what) did not finish within \(timeout)")
            }
            return left
        }
    }

    /// The partition ids of each of `topics`, from metadata; throws
    /// ``KafkaError/Code/unknownTopicOrPartition`` naming every topic the cluster lacks.
    static func partitions(of topics: some Sequence<String>, in metadata: KafkaClusterMetadata) throws(KafkaError)
        -> [String: [Int32]]
    {
        var result: [String: [Int32]] = [:]
        var missing: [String] = []
        for name in topics where result[name] == nil {
            guard let topic = metadata.topic(name), topic.error == nil, !topic.partitions.isEmpty else {
                if !missing.contains(name) { missing.append(name) }
                continue
            }
            result[name] = topic.partitions.map(\.id)
        }
        if !missing.isEmpty {
            throw KafkaError(
                code: .unknownTopicOrPartition,
                message: "topic(s) not found: \(missing.map { "\"\($0)\"" }.joined(separator: ", "))",
                isRetriable: false)
        }
        return result
    }

    /// Throws ``KafkaError/Code/unknownTopicOrPartition`` unless every range's topic and
    /// partition exist.
    static func requireExisting(_ ranges: [KafkaPartitionRange], in metadata: KafkaClusterMetadata)
        throws(KafkaError)
    {
        let ids = try partitions(of: ranges.map(\.topicPartition.topic), in: metadata)
        for range in ranges {
            let tp = range.topicPartition
            let known = ids[tp.topic] ?? []
            if !known.contains(tp.partition) {
                throw KafkaError(
                    code: .unknownTopicOrPartition,
                    message: "cannot read \(range): topic \"\(tp.topic)\" has no partition \(tp.partition) "
                        + "(it has \(known.count))",
                    isRetriable: false)
            }
        }
    }

    /// The low (log start) and high (next to be written) offsets of `tp`.
    static func watermarks(_ client: RDKafkaClient, _ tp: KafkaTopicPartition, timeout: Duration) throws(KafkaError)
        -> (low: Int64, high: Int64)
    {
        var low: Int64 = 0
        var high: Int64 = 0
        try KafkaError.check(
            rd_kafka_query_watermark_offsets(
                client.handle, tp.topic, tp.partition, &low, &high, Int32(timeout.milliseconds)),
            context: "watermarks of \(tp)")
        return (low, high)
    }

    /// Throws unless the whole of a non-empty `range` is in the partition's log: offsets below
    /// the low watermark were deleted (reading from the low watermark instead would silently
    /// shorten the history), offsets at or above the high watermark do not exist yet.
    static func requireReadable(_ range: KafkaPartitionRange, low: Int64, high: Int64) throws(KafkaError) {
        guard !range.isEmpty else { return }
        let tp = range.topicPartition
        if range.start < low {
            throw KafkaError(
                code: .offsetOutOfRange,
                message: "cannot read \(range): offsets \(range.start)..<\(low) of \(tp) were deleted "
                    + "(its log now starts at offset \(low)); the history asked for is no longer complete",
                isRetriable: false)
        }
        if range.end > high {
            throw KafkaError(
                code: .offsetOutOfRange,
                message: "cannot read \(range): \(tp) ends at offset \(high) (high watermark); "
                    + "offsets \(high)..<\(range.end) do not exist",
                isRetriable: false)
        }
    }

    /// For each of `partitions`, the offset of the first message whose timestamp is at or after
    /// `timestamp`, or ``KafkaOffset/end`` when there is none. Asks the broker; partitions it
    /// answers "none" for are checked (and, on brokers without a time index such as the
    /// embedded mock cluster, scanned) by ``TimestampScan``.
    static func firstOffsets(
        atOrAfter timestamp: Int64, of partitions: [KafkaTopicPartition], client: RDKafkaClient,
        properties: [(key: String, value: String)], deadline: Deadline
    ) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let what = "offsets for timestamp \(timestamp)"
        let timeout = try deadline.remaining(what)
        var offsets = try TopicPartitionList.withList(
            offsets: Dictionary(uniqueKeysWithValues: partitions.map { ($0, timestamp) })
        ) { (list) throws(KafkaError) in
            try KafkaError.check(
                rd_kafka_offsets_for_times(client.handle, list, Int32(timeout.milliseconds)), context: what)
            if let error = TopicPartitionList.firstError(list, context: what) { throw error }
            return TopicPartitionList.offsets(list)
        }
        let scan = TimestampScan(properties: properties, logger: client.logger)
        for tp in partitions.sorted() where (offsets[tp] ?? KafkaOffset.end) < 0 {
            offsets[tp] = try scan.firstOffset(of: tp, atOrAfter: timestamp, timeout: deadline.remaining(what))
        }
        return offsets
    }
}
