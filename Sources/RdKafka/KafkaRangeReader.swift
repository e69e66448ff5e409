internal import CRdKafka
import Foundation
import Logging

/// Reads fixed ranges of offsets from given partitions, for replay and audit.
///
/// Unlike ``KafkaConsumer`` it joins no consumer group: the partitions are assigned directly
/// at their start offsets (`rd_kafka_assign`), and it never stores or commits an offset
/// (`enable.auto.commit` and `enable.auto.offset.store` are forced off). librdkafka needs a
/// `group.id` for this API; unless the configuration's ``KafkaConfiguration/properties`` name
/// one, a unique throwaway id is used (it never holds offsets or members).
///
/// Every message of every range is delivered once, in offset order per partition; messages at
/// or beyond a range's end are not. The sequences end when every range is complete — also when
/// its last offsets hold no deliverable message (compacted records, transaction markers),
/// which librdkafka's end-of-partition events (`enable.partition.eof`, forced on) reveal.
///
/// History is never shortened silently: a range that starts below the partition's log start
/// offset (deleted data) or ends beyond its high watermark ends the sequences with a
/// ``KafkaError`` (``KafkaError/Code/offsetOutOfRange``) before anything is read, and so
/// does data deleted while reading (`auto.offset.reset` is forced to `error`).
///
/// A dedicated thread (never Swift's cooperative pool) does the blocking work and hands
/// batches over through a bounded buffer of `handOverCapacity` batches; while it is full the
/// thread stops polling, so memory stays bounded however slow the application is.
///
/// ```swift
/// let configuration = KafkaConfiguration(bootstrapServers: "kafka-1:9092")
/// let ranges = try await KafkaRangeReader.resolve(
///     topics: ["transactions"], from: .timestamp(dayStart), to: .timestamp(dayEnd), configuration: configuration)
/// let reader = try KafkaRangeReader(configuration: configuration, ranges: ranges)
/// for try await batch in reader.batches { replay(batch) }
/// ```
public final class KafkaRangeReader: Sendable {
    let loop: RangeReadLoop
    /// The ranges read, in the order given.
    public let ranges: [KafkaPartitionRange]

    /// Creates the reader and starts its thread, which checks the ranges against the cluster
    /// and then reads them.
    ///
    /// - Parameters:
    ///   - maxBatchSize: the most messages in one ``KafkaMessageBatch``.
    ///   - handOverCapacity: how many batches may wait for the application.
    ///   - timeout: bounds the start-up checks (metadata, watermarks). An unreachable cluster,
    ///     a missing topic or partition, or a range not wholly in its partition's log ends the
    ///     sequences with a ``KafkaError`` within about this time. Reading itself has no time
    ///     limit (librdkafka rides out broker outages); cancel the iterating task or call
    ///     ``close()`` to give up.
    /// - Throws: ``KafkaError`` for an invalid configuration (naming an unknown property), or a
    ///   range with a negative start, a start after its end, or a partition given twice.
    ///   Does not contact the brokers.
    public init(
        configuration: KafkaConfiguration, ranges: [KafkaPartitionRange], maxBatchSize: Int = 2048,
        handOverCapacity: Int = 8, timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "rdkafka.range-reader")
    ) throws {
        try Self.validate(ranges)
        let client = try RDKafkaClient(
            kind: .consumer, properties: Self.readerProperties(configuration), logger: logger,
            statisticsHandler: configuration.statisticsHandler)
        // Errors and statistics are served by the reader thread's consumer polls.
        rd_kafka_poll_set_consumer(client.handle)
        self.ranges = ranges
        self.loop = RangeReadLoop(
            client: client, ranges: ranges, maxBatchSize: maxBatchSize, handOverCapacity: handOverCapacity,
            checkTimeout: timeout)
        loop.start()
    }

    /// Resolves the ranges of every partition of `topics` (see
    /// ``resolve(topics:from:to:configuration:timeout:logger:)``) and creates a reader for them.
    public convenience init(
        configuration: KafkaConfiguration, topics: [String], from: KafkaRangeBound, to: KafkaRangeBound,
        maxBatchSize: Int = 2048, handOverCapacity: Int = 8, timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "rdkafka.range-reader")
    ) async throws {
        let ranges = try await Self.resolve(
            topics: topics, from: from, to: to, configuration: configuration, timeout: timeout, logger: logger)
        try self.init(
            configuration: configuration, ranges: ranges, maxBatchSize: maxBatchSize,
            handOverCapacity: handOverCapacity, timeout: timeout, logger: logger)
    }

    deinit {
        // The thread closes the handle and exits; the client is destroyed with the loop.
        loop.requestClose {}
    }

    /// The messages of the ranges, batch by batch (fastest). Ends when every range is
    /// complete; throws a ``KafkaError`` when a range cannot be read completely, and a
    /// ``KafkaError/Code/destroyed`` error when ``close()`` came first.
    public var batches: KafkaRangeReaderBatches { KafkaRangeReaderBatches(reader: self) }

    /// The messages of the ranges, one at a time (see ``batches``).
    public var messages: KafkaRangeReaderMessages { KafkaRangeReaderMessages(reader: self) }

    /// Stops reading and closes the librdkafka handle (off the cooperative pool); returns once
    /// it is closed. Nothing is committed. Safe to call more than once, and after the end.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.requestClose { continuation.resume() }
        }
    }

    // MARK: Resolving

    /// The ranges of every partition of `topics` between two bounds, sorted by topic and
    /// partition (empty ranges included, so every partition is accounted for).
    ///
    /// Each bound becomes an absolute offset per partition, at the time of the call:
    /// ``KafkaRangeBound/beginning`` the low watermark, ``KafkaRangeBound/end`` the high
    /// watermark, ``KafkaRangeBound/timestamp(_:)`` the first offset whose timestamp is at or
    /// after it (the high watermark when there is none).
    ///
    /// - Throws: ``KafkaError``, within about `timeout`:
    ///   - ``KafkaError/Code/unknownTopicOrPartition`` naming the topics the cluster lacks
    ///     (never creates them);
    ///   - ``KafkaError/Code/invalidArgument`` for a reversed range (`from` after `to`), naming
    ///     the bounds and, where the order depends on the data, the partition and its offsets;
    ///   - ``KafkaError/Code/offsetOutOfRange`` when a partition's range would start in deleted
    ///     data: an ``KafkaRangeBound/offset(_:)`` below the log start offset, or a
    ///     ``KafkaRangeBound/timestamp(_:)`` that resolves to the oldest retained message of a
    ///     partition whose older messages were deleted (they may have been in the range); and
    ///     when an offset bound lies beyond a partition's high watermark;
    ///   - a retriable error naming the bootstrap servers when no broker answers.
    public static func resolve(
        topics: [String], from: KafkaRangeBound, to: KafkaRangeBound, configuration: KafkaConfiguration,
        timeout: Duration = .seconds(10), logger: Logger = Logger(label: "rdkafka.range-reader")
    ) async throws -> [KafkaPartitionRange] {
        try KafkaRangeBound.check(from: from, to: to)
        var unique: [String] = []
        for topic in topics where !unique.contains(topic) { unique.append(topic) }
        let names = unique
        guard !names.isEmpty else { return [] }
        let properties = readerProperties(configuration)
        return try await Blocking.run { () throws(KafkaError) in
            let client = try RDKafkaClient(kind: .consumer, properties: properties, logger: logger)
            let deadline = RangeChecks.Deadline(timeout)
            let metadata = try client.metadata(timeout: timeout)
            let ids = try RangeChecks.partitions(of: names, in: metadata)
            let partitions = names.flatMap { name in
                ids[name]!.map { KafkaTopicPartition(topic: name, partition: $0) }
            }.sorted()
            var marks: [KafkaTopicPartition: (low: Int64, high: Int64)] = [:]
            for tp in partitions {
                marks[tp] = try RangeChecks.watermarks(client, tp, timeout: deadline.remaining("watermarks of \(tp)"))
            }
            func offsets(_ bound: KafkaRangeBound) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
                switch bound {
                case .beginning: return marks.mapValues(\.low)
                case .end: return marks.mapValues(\.high)
                case .offset(let offset): return marks.mapValues { _ in offset }
                case .timestamp(let ms):
                    let found = try RangeChecks.firstOffsets(
                        atOrAfter: ms, of: partitions, client: client, properties: properties, deadline: deadline)
                    return Dictionary(uniqueKeysWithValues: partitions.map { tp in
                        let offset = found[tp] ?? KafkaOffset.end
                        return (tp, offset < 0 ? marks[tp]!.high : offset)
                    })
                }
            }
            let starts = try offsets(from)
            let ends = try offsets(to)
            var ranges: [KafkaPartitionRange] = []
            for tp in partitions {
                let range = KafkaPartitionRange(topicPartition: tp, start: starts[tp]!, end: ends[tp]!)
                try check(range, marks[tp]!, from: from, to: to)
                ranges.append(range)
            }
            return ranges
        }
    }

    /// The checks of a resolved range that depend on the partition's data.
    private static func check(
        _ range: KafkaPartitionRange, _ marks: (low: Int64, high: Int64), from: KafkaRangeBound, to: KafkaRangeBound
    ) throws(KafkaError) {
        let tp = range.topicPartition
        if range.start > range.end {
            var message = "reversed range for \(tp): from \(from) (offset \(range.start)) is after to \(to) "
                + "(offset \(range.end))"
            if range.end < marks.low { message += "; offsets below \(marks.low) were deleted" }
            throw KafkaError(code: .invalidArgument, message: message)
        }
        if case .timestamp = from, range.start == marks.low, marks.low > 0 {
            throw KafkaError(
                code: .offsetOutOfRange,
                message: "cannot resolve \(tp) from \(from): the oldest message still in the partition (offset "
                    + "\(marks.low)) is at or after that time, and offsets 0..<\(marks.low) were deleted, so messages "
                    + "of the range may be missing; read from .beginning to accept what is left",
                isRetriable: false)
        }
        try RangeChecks.requireReadable(range, low: marks.low, high: marks.high)
    }

    // MARK: Configuration

    /// The librdkafka properties of a reader: the configuration's, a throwaway `group.id` unless
    /// one is given, and the settings a range read depends on (applied last, they win).
    static func readerProperties(_ configuration: KafkaConfiguration) -> [(key: String, value: String)] {
        var items = configuration.librdkafkaProperties
        if !items.contains(where: { $0.key == "group.id" }) {
            items.append(("group.id", "fraudstream-range-reader-\(UUID().uuidString.lowercased())"))
        }
        items += [
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "true"),
            ("auto.offset.reset", "error"),
            ("allow.auto.create.topics", "false"),
        ]
        return items
    }

    private static func validate(_ ranges: [KafkaPartitionRange]) throws(KafkaError) {
        var seen: Set<KafkaTopicPartition> = []
        for range in ranges {
            if range.start < 0 {
                throw KafkaError(code: .invalidArgument, message: "invalid range \(range): negative start offset")
            }
            if range.start > range.end {
                throw KafkaError(
                    code: .invalidArgument,
                    message: "reversed range for \(range.topicPartition): start offset \(range.start) is after end "
                        + "offset \(range.end)")
            }
            if !seen.insert(range.topicPartition).inserted {
                throw KafkaError(
                    code: .invalidArgument, message: "\(range.topicPartition) is given more than one range")
            }
        }
    }
}
