/// Messages handed over from the poll thread in one piece.
///
/// All keys and values of the batch live in one contiguous byte buffer; each message is an
/// entry with ranges into it. Reading a message allocates nothing: ``KafkaMessage/key`` and
/// ``KafkaMessage/value`` are slices of the shared buffer.
public struct KafkaMessageBatch: RandomAccessCollection, Sendable {
    struct Entry: Sendable {
        var offset: Int64
        var timestamp: Int64
        var keyStart: Int
        var valueStart: Int
        var keyLength: Int32  // -1: null key
        var valueLength: Int32  // -1: null value (tombstone)
        var partition: Int32
        var topicIndex: UInt16
        var timestampType: UInt8
        var headerIndex: Int32  // -1: no headers, else index into `headerSets`
    }

    let storage: [UInt8]
    let entries: [Entry]
    let topics: [String]
    let headerSets: [[KafkaHeader]]

    /// What ``KafkaConsumerConfiguration/prepareBatch`` made of this batch on the poll thread,
    /// nil without that hook. Dropped when messages are taken out of a buffered batch (a
    /// revoke or a seek while it waited): it then no longer matches the messages.
    public internal(set) var prepared: (any Sendable)?

    init(storage: [UInt8], entries: [Entry], topics: [String], headerSets: [[KafkaHeader]]) {
        self.storage = storage
        self.entries = entries
        self.topics = topics
        self.headerSets = headerSets
    }

    /// An empty batch.
    public init() { self.init(storage: [], entries: [], topics: [], headerSets: []) }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of messages.
    public var endIndex: Int { entries.count }

    /// The message at `position`, read in place from the batch buffer.
    public subscript(position: Int) -> KafkaMessage {
        let e = entries[position]
        return KafkaMessage(
            topic: topics[Int(e.topicIndex)],
            partition: e.partition,
            offset: e.offset,
            key: e.keyLength < 0 ? nil : storage[e.keyStart..<(e.keyStart + Int(e.keyLength))],
            value: e.valueLength < 0 ? nil : storage[e.valueStart..<(e.valueStart + Int(e.valueLength))],
            timestamp: e.timestamp < 0 ? nil : e.timestamp,
            timestampType: e.timestampType == 1 ? .createTime : e.timestampType == 2 ? .logAppendTime : .notAvailable,
            headers: e.headerIndex < 0 ? [] : headerSets[Int(e.headerIndex)]
        )
    }

    /// The partition and offset of the message at `position`, without building the message.
    public func position(at position: Int) -> (partition: KafkaTopicPartition, offset: Int64) {
        let e = entries[position]
        return (KafkaTopicPartition(topic: topics[Int(e.topicIndex)], partition: e.partition), e.offset)
    }

    /// The producer's timestamp (create time) of the message at `position`, nil when it has
    /// a broker (log-append) timestamp or none; without building the message.
    public func createTime(at position: Int) -> Int64? {
        let e = entries[position]
        return e.timestampType == 1 && e.timestamp >= 0 ? e.timestamp : nil
    }

    /// Total key and value bytes of the batch.
    public var payloadByteCount: Int { storage.count }

    /// For each partition in the batch, the offset to commit after processing the whole batch
    /// (the last offset + 1).
    public var nextOffsets: [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        var i = 0
        while i < entries.count {
            // Entries come in runs per partition: look at the last entry of each run.
            let e = entries[i]
            var j = i + 1
            while j < entries.count && entries[j].partition == e.partition && entries[j].topicIndex == e.topicIndex {
                j += 1
            }
            let tp = KafkaTopicPartition(topic: topics[Int(e.topicIndex)], partition: e.partition)
            result[tp] = Swift.max(result[tp] ?? 0, entries[j - 1].offset + 1)
            i = j
        }
        return result
    }

    /// The batch without the messages of `partitions` (used when partitions are revoked or sought).
    func removing(_ partitions: Set<KafkaTopicPartition>) -> KafkaMessageBatch {
        let kept = entries.filter {
            !partitions.contains(KafkaTopicPartition(topic: topics[Int($0.topicIndex)], partition: $0.partition))
        }
        if kept.count == entries.count { return self }
        // `prepared` is left out: it described the messages before the removal.
        return KafkaMessageBatch(storage: storage, entries: kept, topics: topics, headerSets: headerSets)
    }
}
