import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct BackPressureTests {
        @Test func slowConsumerKeepsTheHandOverBoundedAndLosesNothing() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["firehose": 4], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let total = 20_000
            _ = try await produceAll(
                producer, (0..<total).map { KafkaProducerMessage(topic: "firehose", key: "k\($0 % 97)", value: "\($0)") })

            var configuration = consumerConfiguration(cluster, group: "slow-reader")
            configuration.maxBatchSize = 100
            configuration.handOverCapacity = 2
            let consumer = try KafkaConsumer(configuration: configuration, topics: ["firehose"], logger: testLogger)
            var received: [KafkaMessage] = []
            try await withTimeout(120, "slow consumption") {
                var all: [KafkaMessage] = []
                var batches = 0
                for try await batch in consumer.batches {
                    #expect(batch.count <= 100)
                    all.append(contentsOf: batch)
                    batches += 1
                    if batches % 10 == 0 { try await Task.sleep(for: .milliseconds(20)) }  // slow application
                    if all.count >= total { break }
                }
                return all
            }.forEach { received.append($0) }

            #expect(consumer.loop.handOver.highWaterMark <= 2 * 100, "at most handOverCapacity × maxBatchSize messages wait")
            #expect(consumer.backPressurePauseCount > 0, "back-pressure paused fetching")
            let values = received.map { Int($0.valueString!)! }
            #expect(values.count == total)
            #expect(Set(values) == Set(0..<total), "nothing lost or repeated across pause/resume")
            var lastOffset: [Int32: Int64] = [:]
            for message in received {
                if let previous = lastOffset[message.partition] { #expect(message.offset == previous + 1) }
                lastOffset[message.partition] = message.offset
            }
            try await consumer.close()
            try await producer.close()
        }

        @Test func producerWaitsWhenItsQueueIsFull() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["small-queue": 1], logger: testLogger)
            try cluster.setRoundTripTime(.milliseconds(50), broker: 1)
            var configuration = producerConfiguration(cluster)
            configuration.queueBufferingMaxMessages = 100
            configuration.batchNumMessages = 50
            let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
            // 2,000 sends through a 100-message queue: sends wait instead of failing.
            let reports = try await produceAll(
                producer, (0..<2000).map { KafkaProducerMessage(topic: "small-queue", key: nil, value: "\($0)", id: UInt64($0)) },
                timeout: 120)
            #expect(reports.count == 2000)
            #expect(reports.allSatisfy { $0.isDelivered })
            #expect(reports.map(\.offset) == Array(0..<2000))
            #expect(producer.deliveryCounts.delivered == 2000)
            try await producer.close()
        }
    }
}
