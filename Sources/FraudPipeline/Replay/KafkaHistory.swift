import FraudEngine
import RdKafka

/// A history from Kafka topic ranges, merged into the live processor's order: the same
/// decoding (``InputDecoder``) and the same ``EventTimeMerger`` (event time, labels before
/// transactions, partition, offset), with every partition's messages known to be coming
/// until its range is read, so nothing is released early.
///
/// The live processor may have released early (a partition idle beyond `reorder_wait_ms`,
/// or the merge capacity reached); only its decision log then knows its exact order, which
/// is what `fraudstream audit` follows.
public final class KafkaHistory {
    private let configuration: KafkaConfiguration
    /// The ranges read.
    public let ranges: [KafkaPartitionRange]
    private let decoder: InputDecoder
    private let labelsTopic: String
    private let capacity: Int
    private let timeout: Duration
    /// Messages read so far.
    public private(set) var messagesRead = 0
    /// Messages the ranges hold (an upper bound: compacted offsets hold none).
    public var messagesTotal: Int { ranges.reduce(0) { $0 + Int($1.offsetCount) } }
    /// Messages released before their turn because `capacity` messages were held.
    public private(set) var releasedEarly = 0

    /// - Parameters:
    ///   - capacity: most messages held for the merge; beyond it the earliest is released
    ///     (counted in ``releasedEarly``).
    ///   - timeout: bound on the reader's start-up checks.
    public init(
        configuration: KafkaConfiguration, ranges: [KafkaPartitionRange], transactionsTopic: String,
        labelsTopic: String, maxMessageBytes: Int, capacity: Int = 4_000_000, timeout: Duration = .seconds(10)
    ) {
        self.configuration = configuration
        self.ranges = ranges
        self.labelsTopic = labelsTopic
        self.capacity = capacity
        self.timeout = timeout
        decoder = InputDecoder(transactionsTopic: transactionsTopic, maxMessageBytes: maxMessageBytes)
    }

    /// Reads the ranges and calls `body` with every event in merged order.
    /// - Throws: ``RdKafka/KafkaError`` from reading, or what `body` throws.
    public func forEach(_ body: (HistoryEvent) async throws -> Void) async throws {
        let live = ranges.filter { !$0.isEmpty }
        guard !live.isEmpty else { return }
        let ends = Dictionary(uniqueKeysWithValues: live.map { ($0.topicPartition, $0.end) })
        var merger = EventTimeMerger<InputMessage>(labelsTopic: labelsTopic, maxWait: .seconds(100 * 365 * 86_400), capacity: capacity)
        merger.assign(live.map(\.topicPartition), now: .now)
        var finished = false
        let availability = { (tp: KafkaTopicPartition, next: Int64?) -> EventTimeMerger<InputMessage>.Availability in
            if finished { return .none }
            guard let end = ends[tp] else { return .none }
            return (next ?? 0) >= end ? .none : .more
        }
        var released: [EventTimeMerger<InputMessage>.Item] = []
        func emit() async throws {
            for item in released {
                let position = InputPosition(topic: item.partition.topic, partition: item.partition.partition, offset: item.offset)
                switch item.payload.event {
                case .transaction(let t): try await body(.transaction(t, position))
                case .label(let l): try await body(.label(l, position))
                case .rejected(let reason, let field, let text):
                    try await body(.rejected(position, reason: field.map { "\(reason) (\($0)): \(text)" } ?? "\(reason): \(text)"))
                }
            }
            released.removeAll(keepingCapacity: true)
        }
        let reader = try KafkaRangeReader(configuration: configuration, ranges: live, timeout: timeout)
        do {
            for try await batch in reader.batches {
                let input = InputBatch(batch, decoder: decoder)
                for i in 0..<input.count {
                    let (partition, offset) = batch.position(at: i)
                    merger.add(InputMessage(batch: input, index: i), time: input.time(at: i), partition: partition, offset: offset)
                }
                messagesRead += batch.count
                let before = merger.forcedReleases
                _ = merger.release(now: .now, availability: availability, into: &released)
                releasedEarly += merger.forcedReleases - before
                try await emit()
            }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        finished = true
        _ = merger.release(now: .now, availability: availability, into: &released)
        try await emit()
    }
}
