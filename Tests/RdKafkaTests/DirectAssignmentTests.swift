import Synchronization
import Testing

@testable import RdKafka

extension RdKafkaTests {
    /// `KafkaPartitionAssignment.allPartitions`: a lone consumer that assigns every partition
    /// itself, without joining the group, on the embedded broker.
    @Suite struct DirectAssignmentTests {
        private func configuration(_ cluster: EmbeddedKafkaCluster, group: String) -> KafkaConsumerConfiguration {
            var c = consumerConfiguration(cluster, group: group)
            c.assignment = .allPartitions
            return c
        }

        @Test func readsEveryPartitionOfEveryTopicStartingWhereTheHookSays() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["payments": 3, "reports": 2], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            _ = try await produceAll(
                producer,
                (0..<60).map { KafkaProducerMessage(topic: "payments", key: nil, value: "p\($0)", partition: Int32($0 % 3)) }
                    + (0..<20).map { KafkaProducerMessage(topic: "reports", key: nil, value: "r\($0)", partition: Int32($0 % 2)) })
            let assigned = Mutex<[[KafkaTopicPartition]]>([])
            let revoked = Mutex<[KafkaRevocation]>([])
            let skipped = KafkaTopicPartition(topic: "payments", partition: 1)
            let listener = KafkaRebalanceListener(
                onAssign: { partitions in
                    assigned.withLock { $0.append(partitions) }
                    return [skipped: 15]  // 20 messages in payments[1]: start at the 16th
                },
                onRevoke: { revocation in revoked.withLock { $0.append(revocation) } })
            let consumer = try KafkaConsumer(
                configuration: configuration(cluster, group: "direct"), topics: ["payments", "reports"],
                rebalanceListener: listener, logger: testLogger)
            // 20 messages in each payments partition, 10 in each reports one; 15 skipped.
            let messages = try await consume(consumer, count: 65)
            #expect(messages.count == 65)
            #expect(Set(messages.map(\.valueString!)).count == 65, "no duplicates")
            let all = Set((0..<3).map { KafkaTopicPartition(topic: "payments", partition: Int32($0)) }
                + (0..<2).map { KafkaTopicPartition(topic: "reports", partition: Int32($0) ) })
            #expect(assigned.withLock { $0 }.map(Set.init) == [all], "the hook runs once, with every partition")
            #expect(try consumer.assignment() == all.sorted())
            #expect(messages.filter { $0.topicPartition == skipped }.map(\.offset) == Array(15..<20))

            try await consumer.close()
            let revocations = revoked.withLock { $0 }
            #expect(revocations.count == 1)
            #expect(Set(revocations.first?.partitions ?? []) == all)
            #expect(revocations.first?.isLost == false)
            try await producer.close()
        }

        @Test func commitsUnderTheGroupIDAndTheNextOneResumesThere() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["events": 2], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            _ = try await produceAll(
                producer, (0..<100).map { KafkaProducerMessage(topic: "events", key: nil, value: "\($0)", partition: Int32($0 % 2)) })
            let first = try KafkaConsumer(
                configuration: configuration(cluster, group: "direct-commit"), topics: ["events"], logger: testLogger)
            let batch = try await consume(first, count: 100)
            #expect(batch.count == 100)
            let p0 = KafkaTopicPartition(topic: "events", partition: 0)
            let p1 = KafkaTopicPartition(topic: "events", partition: 1)
            try first.storeOffsets([p0: 30, p1: 45])
            try await first.commit()
            #expect(try await first.committed([p0, p1]) == [p0: 30, p1: 45])
            try await first.close()

            let second = try KafkaConsumer(
                configuration: configuration(cluster, group: "direct-commit"), topics: ["events"], logger: testLogger)
            let rest = try await consume(second, count: 25)
            #expect(rest.count == 25)
            #expect(rest.filter { $0.topicPartition == p0 }.map(\.offset) == Array(30..<50))
            #expect(rest.filter { $0.topicPartition == p1 }.map(\.offset) == Array(45..<50))
            try await second.close()
            try await producer.close()
        }

        @Test func aMissingTopicEndsTheSequenceWithAnErrorNamingIt() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["present": 1], logger: testLogger)
            let consumer = try KafkaConsumer(
                configuration: configuration(cluster, group: "direct-missing"), topics: ["present", "absent"],
                logger: testLogger)
            do {
                _ = try await consume(consumer, count: 1, timeout: 30)
                Issue.record("expected an error for the missing topic")
            } catch let error as KafkaError {
                #expect(error.code == .unknownTopicOrPartition)
                #expect("\(error)".contains("\"absent\""))
            }
            try await consumer.close()
        }
    }
}
