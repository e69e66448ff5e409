import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct OffsetsForTimesTests {
        @Test func seekingToATimestampYieldsTheFirstMessageAtOrAfterIt() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["history": 1], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let base: Int64 = 1_700_000_000_000
            _ = try await produceAll(
                producer,
                (0..<100).map {
                    KafkaProducerMessage(topic: "history", key: "k", value: "\($0)", timestamp: base + Int64($0) * 1000)
                })

            let assigned = Locked(false)
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "time-travel"), topics: ["history"],
                rebalanceListener: KafkaRebalanceListener(onAssign: { _ in
                    assigned.withLock { $0 = true }
                    return [:]
                }), logger: testLogger)
            try await eventually(60, "assignment") { assigned.withLock { $0 } }
            let tp = KafkaTopicPartition(topic: "history", partition: 0)

            // 41.5 s after base: message 42 is the first at or after it.
            let target = base + 41_500
            #expect(try await consumer.offsetsForTimes([tp: target]) == [tp: 42])
            #expect(try await consumer.offsetsForTimes([tp: base + 42_000]) == [tp: 42], "exact match")
            #expect(try await consumer.offsetsForTimes([tp: base + 500_000]) == [tp: KafkaOffset.end], "after the last")

            // Whatever was prefetched from offset 0 is dropped by the seek.
            try await consumer.seek(toTimestamp: target, partitions: [tp])
            let messages = try await consume(consumer, count: 5)
            #expect(messages.first?.offset == 42)
            #expect(messages.first?.timestamp == base + 42_000)
            #expect(messages.map(\.offset) == Array(42..<Int64(42 + messages.count)))
            try await consumer.close()
            try await producer.close()
        }
    }
}
