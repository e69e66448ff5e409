/// Which partitions of a range read are still open, and what to do with each polled record.
///
/// A partition is finished as soon as nothing below its end offset can still arrive:
/// - a message at `end - 1` was delivered (the last offset of the range), or
/// - a message at or beyond `end` arrived (it is dropped; every offset below it was passed), or
/// - librdkafka reported the partition's end (`_PARTITION_EOF`, with `enable.partition.eof`)
///   at a fetch offset at or beyond `end`: the fetch position went past the range although
///   its last offsets held no deliverable message (compacted records, transaction markers,
///   aborted transactions under `read_committed`).
///
/// An end-of-partition below `end` (the log or, under `read_committed`, its last stable offset
/// has not reached `end` yet) leaves the partition open. Pure logic, no librdkafka.
struct RangeProgress {
    /// What to do with a polled message.
    enum Outcome: Equatable {
        /// Hand it over; the partition stays open.
        case deliver
        /// Hand it over; it completes its partition.
        case deliverAndFinish
        /// Drop it: not part of an open range.
        case drop
        /// Drop it (at or beyond the end); its partition is complete.
        case dropAndFinish
    }

    /// Open partitions and their (exclusive) end offsets.
    private(set) var open: [KafkaTopicPartition: Int64]

    /// Tracks the non-empty ranges of `ranges`; empty ones are complete from the start.
    init(_ ranges: [KafkaPartitionRange]) {
        var open: [KafkaTopicPartition: Int64] = [:]
        for range in ranges where !range.isEmpty { open[range.topicPartition] = range.end }
        self.open = open
    }

    /// `true` once every range is complete.
    var isComplete: Bool { open.isEmpty }

    /// Classifies a message of `partition` at `offset`.
    mutating func message(at offset: Int64, of partition: KafkaTopicPartition) -> Outcome {
        guard let end = open[partition] else { return .drop }
        if offset >= end {
            open[partition] = nil
            return .dropAndFinish
        }
        if offset + 1 >= end {
            open[partition] = nil
            return .deliverAndFinish
        }
        return .deliver
    }

    /// librdkafka reached the end of `partition`'s log at fetch offset `offset`. Returns true
    /// when that completes the partition's range.
    mutating func endOfPartition(at offset: Int64, of partition: KafkaTopicPartition) -> Bool {
        guard let end = open[partition], offset >= end else { return false }
        open[partition] = nil
        return true
    }
}
