import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct TombstoneTests {
        @Test func nullPayloadIsConsumedAsNilValueAndHeadersSurvive() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["cards-compacted": 1], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let reports = try await produceAll(
                producer,
                [
                    KafkaProducerMessage(topic: "cards-compacted", key: "card-1", value: "v1", id: 1),
                    KafkaProducerMessage(topic: "cards-compacted", key: "card-1", value: nil as String?, id: 2),
                    KafkaProducerMessage(topic: "cards-compacted", key: "card-2", value: "", id: 3),
                    KafkaProducerMessage(
                        topic: "cards-compacted", key: nil, value: [0, 255, 10],
                        headers: [KafkaHeader(key: "source", value: "test"), KafkaHeader(key: "null", value: nil)], id: 4),
                ])
            #expect(reports.map(\.id).sorted() == [1, 2, 3, 4])
            #expect(reports.allSatisfy { $0.isDelivered })

            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "tombstones"), topics: ["cards-compacted"],
                logger: testLogger)
            let messages = try await consume(consumer, count: 4)
            #expect(messages.count == 4)
            #expect(messages[0].valueString == "v1" && !messages[0].isTombstone)
            #expect(messages[1].value == nil && messages[1].isTombstone && messages[1].keyString == "card-1")
            #expect(messages[2].value.map(Array.init) == [], "empty is not null")
            #expect(messages[3].key == nil)
            #expect(messages[3].value.map(Array.init) == [0, 255, 10])
            #expect(messages[3].headers == [KafkaHeader(key: "source", value: "test"), KafkaHeader(key: "null", value: nil)])
            try await consumer.close()
            try await producer.close()
        }
    }
}
