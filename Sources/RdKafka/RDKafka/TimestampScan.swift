internal import CRdKafka
import Logging

/// Client-side fallback for offsets-for-times when the broker cannot answer.
///
/// librdkafka's mock cluster (the embedded broker) answers every ListOffsets-by-timestamp
/// request with "no offset" (-1). Kafka answers -1 only when no message has a timestamp at or
/// after the one asked for, so: when the broker says -1, read the partition's last message;
/// if its timestamp is ≥ the target, the broker could not search and we scan the partition
/// from its low watermark for the first message at or after the target. On a real broker the
/// check costs one fetch and the scan never runs. Bounded by `maxScan` messages and the timeout.
struct TimestampScan {
    let properties: [(key: String, value: String)]
    let logger: Logger
    var maxScan: Int64 = 2_000_000

    func firstOffset(of tp: KafkaTopicPartition, atOrAfter timestamp: Int64, timeout: Duration) throws(KafkaError)
        -> Int64
    {
        var props = properties.filter { !["group.id", "enable.auto.commit", "enable.partition.eof"].contains($0.key) }
        props += [("group.id", "rdkafka-timestamp-scan"), ("enable.auto.commit", "false"), ("enable.partition.eof", "true")]
        let client = try RDKafkaClient(kind: .consumer, properties: props, logger: logger)
        rd_kafka_poll_set_consumer(client.handle)
        defer { rd_kafka_consumer_close(client.handle) }
        let deadline = ContinuousClock.now + timeout
        func remainingMilliseconds() -> Int32 { (deadline - ContinuousClock.now).milliseconds }

        var low: Int64 = 0
        var high: Int64 = 0
        try KafkaError.check(
            rd_kafka_query_watermark_offsets(client.handle, tp.topic, tp.partition, &low, &high, remainingMilliseconds()),
            context: "watermarks of \(tp)")
        guard high > low else { return KafkaOffset.end }

        /// Assigns the partition at `offset` and returns the timestamps of messages read, in
        /// order, until `stop` says so or the partition ends.
        func read(from offset: Int64, stop: (Int64, Int64) -> Bool) throws(KafkaError) -> Int64? {
            try TopicPartitionList.withList(offsets: [tp: offset]) { (list) throws(KafkaError) in
                try KafkaError.check(rd_kafka_assign(client.handle, list), context: "timestamp scan assign")
            }
            var scanned: Int64 = 0
            while remainingMilliseconds() > 0 && scanned <= maxScan {
                guard let message = rd_kafka_consumer_poll(client.handle, min(100, remainingMilliseconds())) else {
                    continue
                }
                defer { rd_kafka_message_destroy(message) }
                let m = message.pointee
                if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return nil }
                if m.err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(m.err, context: "timestamp scan of \(tp)") }
                scanned += 1
                let ts = rd_kafka_message_timestamp(message, nil)
                if stop(m.offset, ts) { return m.offset }
            }
            throw KafkaError(code: .timedOut, message: "timestamp scan of \(tp) did not finish within \(timeout)")
        }

        var lastTimestamp: Int64 = -1
        _ = try read(from: high - 1) { _, ts in
            lastTimestamp = ts
            return true
        }
        guard lastTimestamp >= timestamp else { return KafkaOffset.end }
        logger.debug("broker has no timestamp index for \(tp); scanning from offset \(low)")
        return try read(from: low) { _, ts in ts >= timestamp } ?? KafkaOffset.end
    }
}
