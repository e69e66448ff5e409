import RdKafka

/// Merges the input partitions (transactions and labels) into one stream in event-time order
/// before it reaches the engine.
///
/// Kafka orders messages only within a partition. A consumer catching up on a backlog gets
/// whole runs of one partition before the next, so without merging the engine's clock would
/// race ahead on one partition and the others' transactions would arrive hours "late"
/// (dead letters with reason `too_late`), and labels read ahead of the transactions would
/// move the clock days forward. The merger holds each partition's messages in a queue and
/// releases the one with the smallest key — (event time, labels before transactions,
/// partition, offset), the order `evaluate` and replays use — as long as no partition that
/// may still deliver an earlier event is empty.
///
/// An empty partition **blocks** release while all of these hold:
/// - it is assigned to this member;
/// - the consumer knows, or cannot rule out, that it has messages not received yet (its
///   cached high watermark is beyond the next offset, or nothing is known yet);
/// - it has been empty for less than ``maxWait`` (a partition that stays empty that long
///   is idle and stops blocking until it receives again; this bounds the delay when
///   librdkafka's watermark stays ahead of the data, e.g. behind a transaction marker).
///
/// Messages without an event time (rejected input, headed for the dead-letter topic) are
/// released as soon as they reach the head of their queue: they never touch the engine.
/// When more than ``capacity`` messages are held, the smallest is released regardless of
/// blocking partitions (counted in ``forcedReleases``), so memory stays bounded.
///
/// Not thread-safe; owned by the processing loop. Deterministic given the same arrivals and
/// the same availability answers.
struct EventTimeMerger<Payload> {
    /// Whether a partition may have messages the merger has not received yet.
    enum Availability {
        /// The consumer's watermark is beyond what was received.
        case more
        /// Everything written was received.
        case none
        /// Not known yet (no fetch response so far).
        case unknown
    }

    /// One released message.
    struct Item {
        var time: Int64
        var partition: KafkaTopicPartition
        var offset: Int64
        var payload: Payload
    }

    private struct Key: Comparable {
        var time: Int64
        var rank: UInt64
        var offset: Int64

        static func < (a: Key, b: Key) -> Bool {
            if a.time != b.time { return a.time < b.time }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.offset < b.offset
        }
    }

    private struct Source {
        let partition: KafkaTopicPartition
        let rank: UInt64
        var items: [Item] = []
        var head = 0
        var nextOffset: Int64?
        var emptySince: ContinuousClock.Instant
        var isEmpty: Bool { head == items.count }
        var headKey: Key {
            let item = items[head]
            return Key(time: item.time, rank: rank, offset: item.offset)
        }
    }

    /// Longest time an empty partition holds the others back.
    let maxWait: Duration
    /// Most messages held before the smallest is released regardless.
    let capacity: Int
    /// Messages held now.
    private(set) var buffered = 0
    /// Messages released while a partition was still blocking, because ``capacity`` was reached.
    private(set) var forcedReleases = 0
    private var sources: [Source] = []
    private var index: [KafkaTopicPartition: Int] = [:]
    /// Indices of the non-empty sources, a binary min-heap by head key.
    private var heap: [Int] = []
    /// Each source's head key (valid while it is not empty), apart from `sources` so that
    /// heap comparisons do not touch (and copy) the sources.
    private var headKeys: [Key] = []
    /// The last source ``add`` found (consecutive messages mostly share a partition).
    private var lastAdded: (partition: KafkaTopicPartition, index: Int)?
    private let labelsTopic: String

    /// - Parameter labelsTopic: messages of this topic sort before others at equal event
    ///   time (a label reported at `t` is applied before a transaction at `t`).
    init(labelsTopic: String, maxWait: Duration, capacity: Int) {
        precondition(capacity > 0)
        self.labelsTopic = labelsTopic
        self.maxWait = maxWait
        self.capacity = capacity
    }

    /// The assigned partitions, in rank order.
    var partitions: [KafkaTopicPartition] { sources.map(\.partition) }

    /// Messages held for `partition`.
    func held(in partition: KafkaTopicPartition) -> Int {
        index[partition].map { sources[$0].items.count - sources[$0].head } ?? 0
    }

    /// The offset after the last message received from `partition`, nil if none was.
    func nextOffset(of partition: KafkaTopicPartition) -> Int64? {
        index[partition].flatMap { sources[$0].nextOffset }
    }

    /// Starts holding `partitions` (already assigned ones are kept as they are).
    mutating func assign(_ partitions: some Sequence<KafkaTopicPartition>, now: ContinuousClock.Instant) {
        for tp in partitions where index[tp] == nil {
            let topicRank: UInt64 = tp.topic == labelsTopic ? 0 : 1
            let rank = topicRank << 32 | UInt64(UInt32(bitPattern: tp.partition))
            sources.append(Source(partition: tp, rank: rank, emptySince: now))
        }
        sources.sort { a, b in
            a.rank != b.rank ? a.rank < b.rank : a.partition.topic < b.partition.topic
        }
        reindex()
    }

    /// Drops `partitions` and everything held for them (they were revoked: their next owner
    /// reads those messages again). Returns how many messages were dropped.
    @discardableResult
    mutating func revoke(_ partitions: some Sequence<KafkaTopicPartition>) -> Int {
        let gone = Set(partitions)
        var dropped = 0
        for source in sources where gone.contains(source.partition) {
            dropped += source.items.count - source.head
        }
        sources.removeAll { gone.contains($0.partition) }
        buffered -= dropped
        reindex()
        return dropped
    }

    /// Adds a received message. `time` nil means "no event time" (rejected input). Returns
    /// false (and holds nothing) when `partition` is not assigned.
    @discardableResult
    mutating func add(
        _ payload: Payload, time: Int64?, partition: KafkaTopicPartition, offset: Int64
    ) -> Bool {
        let i: Int
        if let last = lastAdded, last.partition == partition {
            i = last.index
        } else {
            guard let found = index[partition] else { return false }
            i = found
            lastAdded = (partition, found)
        }
        let wasEmpty = sources[i].isEmpty
        sources[i].items.append(Item(time: time ?? .min, partition: partition, offset: offset, payload: payload))
        sources[i].nextOffset = offset + 1
        buffered += 1
        if wasEmpty {
            headKeys[i] = sources[i].headKey
            heapPush(i)
        }
        return true
    }

    /// Moves every message that may be released now into `out`, smallest key first.
    ///
    /// - Parameters:
    ///   - availability: for a partition and the next offset expected from it (nil before
    ///     anything was received), whether more messages may come.
    ///   - limit: most messages released by this call.
    /// - Returns: when release is blocked, the instant at which the earliest blocking
    ///   partition stops blocking (call again then, or when new messages arrive); nil when
    ///   nothing blocks.
    mutating func release(
        now: ContinuousClock.Instant,
        availability: (KafkaTopicPartition, Int64?) -> Availability,
        into out: inout [Item], limit: Int = .max
    ) -> ContinuousClock.Instant? {
        var blockedUntil = blockingDeadline(now: now, availability: availability)
        let first = out.count
        while let m = heap.first {
            // At most `limit` per call: ask to be called again at once for the rest.
            if out.count - first >= limit { return now }
            if sources[m].items[sources[m].head].time != .min, blockedUntil != nil {
                guard buffered > capacity else { break }
                forcedReleases += 1
            }
            out.append(sources[m].items[sources[m].head])
            sources[m].head += 1
            buffered -= 1
            if sources[m].isEmpty {
                heapRemoveRoot()
                sources[m].items.removeAll(keepingCapacity: true)
                sources[m].head = 0
                sources[m].emptySince = now
                if let until = blocks(sources[m], now: now, availability: availability) {
                    blockedUntil = min(blockedUntil ?? until, until)
                }
            } else {
                if sources[m].head >= 4096, sources[m].head * 2 >= sources[m].items.count {
                    sources[m].items.removeFirst(sources[m].head)
                    sources[m].head = 0
                }
                headKeys[m] = sources[m].headKey
                siftDown(0)
            }
        }
        return blockedUntil
    }

    private func blockingDeadline(
        now: ContinuousClock.Instant, availability: (KafkaTopicPartition, Int64?) -> Availability
    ) -> ContinuousClock.Instant? {
        var earliest: ContinuousClock.Instant?
        for source in sources where source.isEmpty {
            if let until = blocks(source, now: now, availability: availability) {
                earliest = min(earliest ?? until, until)
            }
        }
        return earliest
    }

    /// The instant until which the empty `source` blocks, or nil.
    private func blocks(
        _ source: Source, now: ContinuousClock.Instant, availability: (KafkaTopicPartition, Int64?) -> Availability
    ) -> ContinuousClock.Instant? {
        let until = source.emptySince + maxWait
        guard now < until else { return nil }
        switch availability(source.partition, source.nextOffset) {
        case .none: return nil
        case .more, .unknown: return until
        }
    }

    private func less(_ a: Int, _ b: Int) -> Bool { headKeys[a] < headKeys[b] }

    private mutating func heapPush(_ source: Int) {
        heap.append(source)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func heapRemoveRoot() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, less(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard less(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }

    /// After the sources changed: their index and the heap.
    private mutating func reindex() {
        index = [:]
        for (i, source) in sources.enumerated() { index[source.partition] = i }
        lastAdded = nil
        headKeys = sources.map { $0.isEmpty ? Key(time: .max, rank: .max, offset: .max) : $0.headKey }
        heap = []
        for i in sources.indices where !sources[i].isEmpty { heapPush(i) }
    }
}
