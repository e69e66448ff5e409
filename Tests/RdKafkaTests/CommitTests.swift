import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct CommitTests {
        @Test func newMemberResumesRightAfterCommittedOffsets() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["payments": 4], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let total = 1000
            _ = try await produceAll(
                producer, (0..<total).map { KafkaProducerMessage(topic: "payments", key: "k\($0 % 37)", value: "\($0)") })

            // First member: process 400 messages, store their offsets, commit, leave.
            let first = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "commit"), topics: ["payments"], logger: testLogger)
            let processed = Array(try await consume(first, count: 400).prefix(400))
            for message in processed { try first.storeOffset(of: message) }
            try await first.commit()
            var expected: [KafkaTopicPartition: Int64] = [:]
            for message in processed { expected[message.topicPartition] = message.offset + 1 }
            let committed = try await first.committed(Array(expected.keys))
            #expect(committed == expected)
            try await first.close()

            // Second member: gets exactly the messages the first did not process.
            let second = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "commit"), topics: ["payments"], logger: testLogger)
            let rest = try await consume(second, count: total - 400)
            let firstValues = Set(processed.map(\.valueString!))
            let restValues = rest.map(\.valueString!)
            #expect(rest.count == total - 400)
            #expect(Set(restValues).count == restValues.count, "no duplicates")
            #expect(firstValues.isDisjoint(with: restValues))
            #expect(firstValues.union(restValues) == Set((0..<total).map(String.init)))
            // Each partition with messages left starts exactly at the committed offset.
            for (tp, offset) in expected {
                if let firstOfPartition = rest.first(where: { $0.topicPartition == tp }) {
                    #expect(firstOfPartition.offset == offset)
                }
            }
            try await second.close()
            try await producer.close()
        }

        @Test func asyncCommitAndExplicitOffsets() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["events": 2], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            _ = try await produceAll(
                producer, (0..<100).map { KafkaProducerMessage(topic: "events", key: nil, value: "\($0)", partition: Int32($0 % 2)) })
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "async-commit"), topics: ["events"], logger: testLogger)
            let batch = try await consume(consumer, count: 100)
            #expect(batch.count == 100)
            let p0 = KafkaTopicPartition(topic: "events", partition: 0)
            let p1 = KafkaTopicPartition(topic: "events", partition: 1)
            // Nothing stored yet: a commit is a successful no-op.
            try await consumer.commit()
            try consumer.storeOffsets([p0: 10])
            try consumer.commitAsync()
            try await eventually(30, "async commit visible") { try await consumer.committed([p0])[p0] == 10 }
            try await consumer.commit([p1: 7])
            #expect(try await consumer.committed([p0, p1]) == [p0: 10, p1: 7])
            try await consumer.close()
            try await producer.close()
        }
    }
}
