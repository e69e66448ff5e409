import Foundation
import Testing

@testable import RdKafka

extension RdKafkaTests {
    /// `KafkaConsumerConfiguration.prepareBatch`: work on each batch on the poll thread,
    /// handed over with the batch, and dropped when the batch's messages change.
    @Suite struct BatchPreparationTests {
        /// What the hook records of a batch: its offsets and the thread it ran on.
        struct Prepared: Sendable {
            var offsets: [Int64]
            var thread: UInt
        }

        @Test func everyBatchArrivesWithWhatThePollThreadMadeOfIt() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["prepared": 3], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let total = 300
            _ = try await produceAll(
                producer, (0..<total).map { KafkaProducerMessage(topic: "prepared", key: "k\($0 % 7)", value: "\($0)") })

            var configuration = consumerConfiguration(cluster, group: "preparing")
            configuration.maxBatchSize = 40
            configuration.prepareBatch = { batch in
                Prepared(offsets: batch.map(\.offset), thread: UInt(pthread_self()))
            }
            let consumer = try KafkaConsumer(configuration: configuration, topics: ["prepared"], logger: testLogger)
            let batches = try await withTimeout(60, "consumption") {
                var batches: [KafkaMessageBatch] = []
                var count = 0
                for try await batch in consumer.batches {
                    batches.append(batch)
                    count += batch.count
                    if count >= total { break }
                }
                return batches
            }
            #expect(batches.reduce(0) { $0 + $1.count } == total)
            var threads: Set<UInt> = []
            for batch in batches {
                let prepared = try #require(batch.prepared as? Prepared, "a batch without its preparation")
                #expect(prepared.offsets == batch.map(\.offset), "the preparation describes this batch's messages")
                threads.insert(prepared.thread)
            }
            #expect(batches.count > 1, "the batch size makes several batches")
            #expect(threads.count == 1, "every batch prepared on the one poll thread, not on the consuming tasks")
            try await consumer.close()
            try await producer.close()
        }

        @Test func removingMessagesDropsThePreparationAndKeepingAllKeepsIt() {
            var batch = ConsumerHandOverTests.batch(5)
            batch.prepared = [1, 2, 3, 4, 5]
            #expect(batch.removing([KafkaTopicPartition(topic: "other", partition: 0)]).prepared != nil)
            #expect(batch.removing([KafkaTopicPartition(topic: "t", partition: 0)]).isEmpty)
            let two = KafkaMessageBatch(
                storage: [1, 1], entries: batch.entries.prefix(1) + [KafkaMessageBatch.Entry(
                    offset: 0, timestamp: -1, keyStart: 0, valueStart: 1, keyLength: -1, valueLength: 1, partition: 1,
                    topicIndex: 0, timestampType: 0, headerIndex: -1)],
                topics: ["t"], headerSets: [])
            var prepared = two
            prepared.prepared = "both"
            let left = prepared.removing([KafkaTopicPartition(topic: "t", partition: 1)])
            #expect(left.count == 1)
            #expect(left.prepared == nil, "a preparation of two messages does not describe one")
        }

        @Test func createTimeIsTheBuiltMessagesProducerTimestampOnly() {
            func entry(_ offset: Int64, timestamp: Int64, type: UInt8) -> KafkaMessageBatch.Entry {
                KafkaMessageBatch.Entry(
                    offset: offset, timestamp: timestamp, keyStart: 0, valueStart: 0, keyLength: -1, valueLength: 0,
                    partition: 0, topicIndex: 0, timestampType: type, headerIndex: -1)
            }
            let batch = KafkaMessageBatch(
                storage: [], entries: [
                    entry(0, timestamp: 1_700_000_000_123, type: 1), entry(1, timestamp: 1_700_000_000_456, type: 2),
                    entry(2, timestamp: -1, type: 1), entry(3, timestamp: 5, type: 0),
                ], topics: ["t"], headerSets: [])
            #expect((0..<4).map { batch.createTime(at: $0) } == [1_700_000_000_123, nil, nil, nil])
            for i in 0..<4 {
                let message = batch[i]
                #expect(batch.createTime(at: i) == (message.timestampType == .createTime ? message.timestamp : nil))
            }
        }
    }
}
