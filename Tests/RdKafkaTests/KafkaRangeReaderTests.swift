import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct KafkaRangeReaderTests {
        let base: Int64 = 1_700_000_000_000

        func readerConfiguration(_ bootstrap: String, groupID: String? = nil) -> KafkaConfiguration {
            var properties = EmbeddedKafkaCluster.lowLatencyConsumerProperties
            if let groupID { properties["group.id"] = groupID }
            return KafkaConfiguration(bootstrapServers: [bootstrap], properties: properties)
        }

        /// `count` messages in each of `partitions` partitions, value `p<partition>-<index>`,
        /// create time `base + index × 1 s`.
        func produce(_ cluster: EmbeddedKafkaCluster, topic: String, partitions: Int32, count: Int,
                     valueSize: Int = 0) async throws {
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let padding = String(repeating: "x", count: valueSize)
            var messages: [KafkaProducerMessage] = []
            for index in 0..<count {
                for partition in 0..<partitions {
                    messages.append(
                        KafkaProducerMessage(
                            topic: topic, key: "k", value: "p\(partition)-\(index)\(padding)", partition: partition,
                            timestamp: base + Int64(index) * 1000))
                }
            }
            let reports = try await produceAll(producer, messages, timeout: 120)
            #expect(reports.allSatisfy { $0.isDelivered })
            try await producer.close()
        }

        /// Everything the reader delivers until its sequences end.
        func readAll(_ reader: KafkaRangeReader, timeout: Double = 60) async throws -> [KafkaMessage] {
            try await withTimeout(timeout, "reading \(reader.ranges)") {
                var all: [KafkaMessage] = []
                for try await batch in reader.batches { all.append(contentsOf: batch) }
                return all
            }
        }

        func byPartition(_ messages: [KafkaMessage]) -> [Int32: [KafkaMessage]] {
            Dictionary(grouping: messages, by: \.partition)
        }

        @Test func readsMiddleRangesOfAMultiPartitionTopicExactly() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["ledger": 3], logger: testLogger)
            try await produce(cluster, topic: "ledger", partitions: 3, count: 40)
            let ranges = [
                KafkaPartitionRange(topic: "ledger", partition: 0, offsets: 10..<20),  // ends mid-partition
                KafkaPartitionRange(topic: "ledger", partition: 1, offsets: 0..<40),  // the whole partition
                KafkaPartitionRange(topic: "ledger", partition: 2, offsets: 39..<40),  // its last message only
            ]
            // Small batches and a one-batch hand-over: the reader thread waits for the application.
            let reader = try KafkaRangeReader(
                configuration: readerConfiguration(cluster.bootstrapServers, groupID: "auditor"), ranges: ranges,
                maxBatchSize: 3, handOverCapacity: 1, logger: testLogger)
            let messages = try await readAll(reader)
            let parts = byPartition(messages)
            for range in ranges {
                let got = parts[range.topicPartition.partition] ?? []
                #expect(got.map(\.offset) == Array(range.start..<range.end), "offsets of \(range)")
                #expect(
                    got.map(\.valueString) == (range.start..<range.end).map { "p\(range.topicPartition.partition)-\($0)" },
                    "payloads of \(range)")
                #expect(got.map(\.timestamp) == (range.start..<range.end).map { base + $0 * 1000 })
            }
            #expect(messages.count == 10 + 40 + 1)
            #expect(reader.loop.handOver.highWaterMark <= 1 * 3, "bounded hand-over: capacity × batch size messages")
            await reader.close()
            await reader.close()  // idempotent

            // Nothing was committed for the group id the reader used.
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "auditor"), topics: ["ledger"], logger: testLogger)
            let committed = try await consumer.committed(ranges.map(\.topicPartition), timeout: .seconds(30))
            #expect(committed.values.allSatisfy { $0 < 0 }, "no committed offsets: \(committed)")
            try await consumer.close()
        }

        @Test func aSlowApplicationKeepsTheHandOverBoundedAndLosesNothing() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["firehose": 3], logger: testLogger)
            try await produce(cluster, topic: "firehose", partitions: 3, count: 1000)
            let ranges = (0..<Int32(3)).map { KafkaPartitionRange(topic: "firehose", partition: $0, offsets: 100..<900) }
            let reader = try KafkaRangeReader(
                configuration: readerConfiguration(cluster.bootstrapServers), ranges: ranges, maxBatchSize: 50,
                handOverCapacity: 2, logger: testLogger)
            let messages = try await withTimeout(120, "slow reading") {
                var all: [KafkaMessage] = []
                for try await message in reader.messages {
                    all.append(message)
                    if all.count % 200 == 0 { try await Task.sleep(for: .milliseconds(20)) }  // slow application
                }
                return all
            }
            #expect(reader.loop.handOver.highWaterMark <= 2 * 50)
            for (partition, got) in byPartition(messages) {
                #expect(got.map(\.offset) == Array(100..<900), "partition \(partition)")
                #expect(got.map(\.valueString) == (100..<900).map { "p\(partition)-\($0)" })
            }
            #expect(messages.count == 3 * 800)
        }

        @Test func timestampBoundsSelectTheMessagesInTheTimeRange() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["history": 2], logger: testLogger)
            try await produce(cluster, topic: "history", partitions: 2, count: 30)
            let configuration = readerConfiguration(cluster.bootstrapServers)

            // 10.5 s after base: message 11 is the first at or after it; message 20 is exactly at 20 s.
            let ranges = try await KafkaRangeReader.resolve(
                topics: ["history"], from: .timestamp(base + 10_500), to: .timestamp(base + 20_000),
                configuration: configuration, timeout: .seconds(30), logger: testLogger)
            #expect(ranges == [
                KafkaPartitionRange(topic: "history", partition: 0, offsets: 11..<20),
                KafkaPartitionRange(topic: "history", partition: 1, offsets: 11..<20),
            ])
            let reader = try KafkaRangeReader(configuration: configuration, ranges: ranges, logger: testLogger)
            let messages = try await readAll(reader)
            #expect(messages.count == 18)
            #expect(messages.allSatisfy { ($0.timestamp ?? 0) >= base + 10_500 && ($0.timestamp ?? .max) < base + 20_000 })
            for (partition, got) in byPartition(messages) {
                #expect(got.map(\.valueString) == (11..<20).map { "p\(partition)-\($0)" })
            }

            // Before the first message: from the beginning; after the last: the high watermark.
            let all = try await KafkaRangeReader.resolve(
                topics: ["history"], from: .timestamp(base - 60_000), to: .timestamp(base + 3_600_000),
                configuration: configuration, timeout: .seconds(30), logger: testLogger)
            #expect(all.map(\.offsets) == [0..<30, 0..<30])

            // The resolving initialiser: a time past the end gives empty ranges, which finish at once.
            let late = try await KafkaRangeReader(
                configuration: configuration, topics: ["history"], from: .timestamp(base + 3_600_000), to: .end,
                timeout: .seconds(30), logger: testLogger)
            #expect(late.ranges.map(\.offsets) == [30..<30, 30..<30])
            #expect(try await readAll(late).isEmpty)
        }

        @Test func reversedRangesAreErrorsNamingTheBounds() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["history": 1], logger: testLogger)
            try await produce(cluster, topic: "history", partitions: 1, count: 30)
            let configuration = readerConfiguration(cluster.bootstrapServers)

            let times = await #expect(throws: KafkaError.self) {
                _ = try await KafkaRangeReader.resolve(
                    topics: ["history"], from: .timestamp(base + 20_000), to: .timestamp(base + 10_000),
                    configuration: configuration, logger: testLogger)
            }
            #expect(times?.code == .invalidArgument)
            #expect(times?.message.contains("reversed") == true)
            #expect(times?.message.contains("\(base + 20_000)") == true)
            #expect(times?.message.contains("2023-11-14T22:13:30.000Z") == true, "\(String(describing: times))")

            // Only the data says this one is reversed: offset 25 is after the message at 10 s (offset 10).
            let mixed = await #expect(throws: KafkaError.self) {
                _ = try await KafkaRangeReader.resolve(
                    topics: ["history"], from: .offset(25), to: .timestamp(base + 10_000),
                    configuration: configuration, timeout: .seconds(30), logger: testLogger)
            }
            #expect(mixed?.code == .invalidArgument)
            #expect(mixed?.message.contains("history[0]") == true)
            #expect(mixed?.message.contains("offset 25") == true && mixed?.message.contains("offset 10") == true)

            let explicit = #expect(throws: KafkaError.self) {
                _ = try KafkaRangeReader(
                    configuration: configuration,
                    ranges: [KafkaPartitionRange(topicPartition: .init(topic: "history", partition: 0), start: 9, end: 3)],
                    logger: testLogger)
            }
            #expect(explicit?.message.contains("history[0]") == true)
        }

        @Test func unknownTopicIsAnErrorNamingItInBoundedTime() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["present": 2], logger: testLogger)
            let configuration = readerConfiguration(cluster.bootstrapServers)
            let resolveError = await #expect(throws: KafkaError.self) {
                try await withTimeout(60, "unknown topic in resolve") {
                    try await KafkaRangeReader.resolve(
                        topics: ["present", "absent"], from: .beginning, to: .end, configuration: configuration,
                        timeout: .seconds(5), logger: testLogger)
                }
            }
            #expect(resolveError?.code == .unknownTopicOrPartition)
            #expect(resolveError?.message.contains("\"absent\"") == true)
            #expect(resolveError?.message.contains("\"present\"") == false)

            let reader = try KafkaRangeReader(
                configuration: configuration, ranges: [KafkaPartitionRange(topic: "absent", partition: 0, offsets: 0..<10)],
                timeout: .seconds(5), logger: testLogger)
            let readError = await #expect(throws: KafkaError.self) { _ = try await readAll(reader) }
            #expect(readError?.code == .unknownTopicOrPartition)
            #expect(readError?.message.contains("absent") == true)

            let noSuchPartition = try KafkaRangeReader(
                configuration: configuration, ranges: [KafkaPartitionRange(topic: "present", partition: 7, offsets: 0..<1)],
                timeout: .seconds(5), logger: testLogger)
            let partitionError = await #expect(throws: KafkaError.self) { _ = try await readAll(noSuchPartition) }
            #expect(partitionError?.message.contains("present[7]") == true)

            // Nothing was auto-created on the way.
            let admin = try KafkaAdminClient(
                configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
            #expect(try await admin.metadata().topic("absent") == nil)
        }

        @Test func emptyRangesFinishImmediately() async throws {
            // No broker needed at all when there is nothing to read.
            let nowhere = readerConfiguration("127.0.0.1:1")
            let none = try KafkaRangeReader(configuration: nowhere, ranges: [], logger: testLogger)
            #expect(try await readAll(none, timeout: 30).isEmpty)
            let empty = try KafkaRangeReader(
                configuration: nowhere, ranges: [KafkaPartitionRange(topic: "t", partition: 0, offsets: 5..<5)],
                logger: testLogger)
            #expect(try await readAll(empty, timeout: 30).isEmpty)

            // An empty partition next to one with data: the empty one does not hold the read up.
            let cluster = try EmbeddedKafkaCluster(topics: ["sparse": 2], logger: testLogger)
            try await produce(cluster, topic: "sparse", partitions: 1, count: 5)
            let configuration = readerConfiguration(cluster.bootstrapServers)
            let ranges = try await KafkaRangeReader.resolve(
                topics: ["sparse"], from: .beginning, to: .end, configuration: configuration, logger: testLogger)
            #expect(ranges.map(\.offsets) == [0..<5, 0..<0])
            let reader = try KafkaRangeReader(configuration: configuration, ranges: ranges, logger: testLogger)
            #expect(try await readAll(reader).map(\.offset) == [0, 1, 2, 3, 4])
        }

        @Test func unreachableBootstrapIsAnErrorInBoundedTime() async throws {
            let configuration = readerConfiguration("127.0.0.1:1")
            let resolveError = await #expect(throws: KafkaError.self) {
                try await withTimeout(60, "resolve against an unreachable cluster") {
                    try await KafkaRangeReader.resolve(
                        topics: ["transactions"], from: .beginning, to: .end, configuration: configuration,
                        timeout: .seconds(2), logger: testLogger)
                }
            }
            #expect(resolveError?.message.contains("127.0.0.1:1") == true)
            #expect(resolveError?.isRetriable == true)

            let reader = try KafkaRangeReader(
                configuration: configuration,
                ranges: [KafkaPartitionRange(topic: "transactions", partition: 0, offsets: 0..<10)],
                timeout: .seconds(2), logger: testLogger)
            let readError = await #expect(throws: KafkaError.self) { _ = try await readAll(reader) }
            #expect(readError?.message.contains("127.0.0.1:1") == true)
            await reader.close()
        }

        @Test func deletedHistoryIsAnErrorNotAShorterRange() async throws {
            // The embedded broker keeps about the last 5 MB of a partition: 8 MB moves its log start up.
            let cluster = try EmbeddedKafkaCluster(topics: ["old": 1], logger: testLogger)
            try await produce(cluster, topic: "old", partitions: 1, count: 800, valueSize: 10_000)
            let configuration = readerConfiguration(cluster.bootstrapServers)
            let retained = try #require(
                try await KafkaRangeReader.resolve(
                    topics: ["old"], from: .beginning, to: .end, configuration: configuration, logger: testLogger
                ).first)
            try #require(retained.start > 0 && retained.end == 800, "log start moved: \(retained)")

            let fromZero = await #expect(throws: KafkaError.self) {
                _ = try await KafkaRangeReader.resolve(
                    topics: ["old"], from: .offset(0), to: .end, configuration: configuration, logger: testLogger)
            }
            #expect(fromZero?.code == .offsetOutOfRange)
            #expect(fromZero?.message.contains("deleted") == true)

            // A time before the oldest retained message: deleted messages may belong to the range.
            let fromTime = await #expect(throws: KafkaError.self) {
                _ = try await KafkaRangeReader.resolve(
                    topics: ["old"], from: .timestamp(base), to: .end, configuration: configuration,
                    timeout: .seconds(30), logger: testLogger)
            }
            #expect(fromTime?.code == .offsetOutOfRange)
            #expect(fromTime?.message.contains("deleted") == true)

            let reader = try KafkaRangeReader(
                configuration: configuration, ranges: [KafkaPartitionRange(topic: "old", partition: 0, offsets: 0..<800)],
                logger: testLogger)
            let readError = await #expect(throws: KafkaError.self) { _ = try await readAll(reader) }
            #expect(readError?.code == .offsetOutOfRange)
            #expect(readError?.message.contains("deleted") == true)

            // What is retained reads fine; past the high watermark is an error too.
            let tail = try KafkaRangeReader(
                configuration: configuration,
                ranges: [KafkaPartitionRange(topic: "old", partition: 0, offsets: retained.start..<(retained.start + 3))],
                logger: testLogger)
            #expect(try await readAll(tail).map(\.offset) == Array(retained.start..<(retained.start + 3)))
            let beyond = try KafkaRangeReader(
                configuration: configuration, ranges: [KafkaPartitionRange(topic: "old", partition: 0, offsets: 799..<900)],
                logger: testLogger)
            let beyondError = await #expect(throws: KafkaError.self) { _ = try await readAll(beyond) }
            #expect(beyondError?.message.contains("800") == true)
        }

        @Test func closingBeforeTheEndIsAnErrorNotAShortRead() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["long": 1], logger: testLogger)
            try await produce(cluster, topic: "long", partitions: 1, count: 40)
            let reader = try KafkaRangeReader(
                configuration: readerConfiguration(cluster.bootstrapServers),
                ranges: [KafkaPartitionRange(topic: "long", partition: 0, offsets: 0..<40)], maxBatchSize: 5,
                handOverCapacity: 1, logger: testLogger)
            let first = try await withTimeout(60, "first batch") { () -> KafkaMessageBatch? in
                var it = reader.batches.makeAsyncIterator()
                return try await it.next()
            }
            #expect(first?.first?.offset == 0)
            await reader.close()
            let error = await #expect(throws: KafkaError.self) {
                var iterator = reader.batches.makeAsyncIterator()
                while try await iterator.next() != nil {}
            }
            #expect(error?.code == .destroyed)
            #expect(error?.message.contains("long[0]") == true)
        }

        /// The end detection, including the gaps a real broker has and the mock cannot make:
        /// compacted offsets and transaction markers at the end of a range.
        @Test func rangeProgressFinishesAcrossOffsetGaps() {
            let a = KafkaTopicPartition(topic: "t", partition: 0)
            let b = KafkaTopicPartition(topic: "t", partition: 1)
            let c = KafkaTopicPartition(topic: "t", partition: 2)
            var progress = RangeProgress([
                KafkaPartitionRange(topicPartition: a, start: 0, end: 6),
                KafkaPartitionRange(topicPartition: b, start: 10, end: 20),
                KafkaPartitionRange(topicPartition: c, start: 3, end: 3),
            ])
            #expect(Set(progress.open.keys) == [a, b], "empty ranges are complete from the start")

            // a: 0..4 delivered, offset 5 is a transaction marker, then the partition's end at 6.
            for offset in Int64(0)...4 { #expect(progress.message(at: offset, of: a) == .deliver) }
            let early = progress.endOfPartition(at: 5, of: a)
            #expect(!early, "an end below the range's end keeps it open")
            let atEnd = progress.endOfPartition(at: 6, of: a)
            #expect(atEnd)
            #expect(progress.message(at: 6, of: a) == .drop, "nothing more of a finished partition")

            // b: 19 was compacted away; the next message (25) is past the end and finishes it.
            #expect(progress.message(at: 12, of: b) == .deliver)
            #expect(progress.message(at: 18, of: b) == .deliver)
            #expect(!progress.isComplete)
            #expect(progress.message(at: 25, of: b) == .dropAndFinish)
            #expect(progress.isComplete)

            // The last offset of a range finishes it without waiting for anything else.
            var exact = RangeProgress([KafkaPartitionRange(topicPartition: a, start: 0, end: 2)])
            #expect(exact.message(at: 0, of: a) == .deliver)
            #expect(exact.message(at: 1, of: a) == .deliverAndFinish)
            #expect(exact.isComplete)
        }
    }
}

extension KafkaPartitionRange {
    var offsets: Range<Int64> { start..<end }
}
