import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct RoundTripTests {
        @Test func hundredThousandKeyedMessagesExactlyOnceInPartitionOrder() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["orders": 8], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let total = 100_000
            let messages = (0..<total).map {
                KafkaProducerMessage(topic: "orders", key: "key-\($0 % 1000)", value: "\($0)", id: UInt64($0))
            }
            let reports = try await produceAll(producer, messages)
            #expect(reports.count == total)
            #expect(reports.allSatisfy { $0.isDelivered })
            #expect(Set(reports.map(\.id)).count == total)

            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "round-trip"), topics: ["orders"], logger: testLogger)
            let received = try await consume(consumer, count: total, timeout: 120)
            try await consumer.close()

            #expect(received.count == total)
            let values = received.map { Int($0.valueString!)! }
            #expect(Set(values).count == total, "every message exactly once")
            #expect(Set(values) == Set(0..<total))
            // Per partition: offsets strictly increasing; per key (one partition each): send order kept.
            var lastOffset: [Int32: Int64] = [:]
            var lastValueOfKey: [String: Int] = [:]
            var partitionsOfKey: [String: Set<Int32>] = [:]
            for message in received {
                if let previous = lastOffset[message.partition] { #expect(message.offset > previous) }
                lastOffset[message.partition] = message.offset
                let key = message.keyString!
                let value = Int(message.valueString!)!
                if let previous = lastValueOfKey[key] { #expect(value > previous, "order of \(key)") }
                lastValueOfKey[key] = value
                partitionsOfKey[key, default: []].insert(message.partition)
                #expect(message.topic == "orders")
                #expect(message.timestampType == .createTime)
            }
            #expect(partitionsOfKey.values.allSatisfy { $0.count == 1 })
            #expect(lastOffset.count == 8, "all 8 partitions used")
            // Reports carry the same partition/offset the consumer saw.
            let byID = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0) })
            for message in received.prefix(1000) {
                let report = byID[UInt64(message.valueString!)!]!
                #expect(report.partition == message.partition && report.offset == message.offset)
            }
            try await producer.close()
        }
    }
}
