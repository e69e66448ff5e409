import Testing

@testable import RdKafka

/// Consumes in the background, collecting every message.
final class Collector: Sendable {
    let messages = Locked<[KafkaMessage]>([])
    var count: Int { messages.withLock { $0.count } }

    func start(_ consumer: KafkaConsumer) -> Task<Void, any Error> {
        Task {
            for try await batch in consumer.batches { messages.withLock { $0.append(contentsOf: batch) } }
        }
    }
}

extension RdKafkaTests {
    @Suite struct FaultInjectionTests {
        func messages(_ range: Range<Int>, topic: String) -> [KafkaProducerMessage] {
            range.map { KafkaProducerMessage(topic: topic, key: "k\($0 % 64)", value: "\($0)", id: UInt64($0)) }
        }

        /// Every acknowledged message is consumed exactly once, in per-key order.
        func expectNothingLost(_ reports: [KafkaDeliveryReport], _ consumed: [KafkaMessage]) {
            let acknowledged = Set(reports.filter { $0.isDelivered }.map(\.id))
            let values = consumed.map { UInt64($0.valueString!)! }
            #expect(acknowledged.isSubset(of: Set(values)), "acknowledged messages lost")
            #expect(Set(values).count == values.count, "duplicates")
        }

        @Test func brokerDownThenUpLosesNoAcknowledgedMessageAndConsumerResumes() async throws {
            let cluster = try EmbeddedKafkaCluster(brokers: 3, topics: ["tx": 6], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "faults"), topics: ["tx"], logger: testLogger)
            let collector = Collector()
            let task = collector.start(consumer)

            var reports = try await produceAll(producer, messages(0..<1000, topic: "tx"))
            try await eventually(60, "first 1000 consumed") { collector.count >= 1000 }

            try cluster.setBrokerDown(2)
            // Produce while a third of the partition leaders is down; the idempotent producer
            // retries until the broker is back.
            let sending = Task { try await produceAll(producer, messages(1000..<2000, topic: "tx"), timeout: 120) }
            try await Task.sleep(for: .seconds(2))
            try cluster.setBrokerUp(2)
            reports += try await sending.value
            #expect(reports.count == 2000)
            #expect(reports.allSatisfy { $0.isDelivered })

            try await eventually(120, "consumer resumed and read everything") { collector.count >= 2000 }
            expectNothingLost(reports, collector.messages.withLock { $0 })
            try await consumer.close()
            task.cancel()
            try await producer.close()
        }

        @Test func requestErrorStacksAreRetriedWithoutLossOrDuplicates() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["retries": 4], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            try cluster.pushRequestErrors(
                [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas, .leaderNotAvailable], for: .produce)
            try cluster.pushRequestErrors([.notLeaderForPartition, .requestTimedOut], for: .fetch)
            try cluster.pushRequestErrors([.coordinatorNotAvailable, .notCoordinator], for: .findCoordinator)
            let reports = try await produceAll(producer, messages(0..<1500, topic: "retries"), timeout: 120)
            #expect(reports.allSatisfy { $0.isDelivered })

            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "retries"), topics: ["retries"], logger: testLogger)
            let consumed = try await consume(consumer, count: 1500, timeout: 120)
            expectNothingLost(reports, consumed)
            #expect(consumed.count == 1500)
            try await consumer.close()
            try await producer.close()
        }

        @Test func addedRoundTripTimeAndPerBrokerErrorsStillDeliverEverything() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["slow": 2], logger: testLogger)
            try cluster.setRoundTripTime(.milliseconds(300), broker: 1)
            try cluster.pushRequestErrors(
                [(.requestTimedOut, .milliseconds(100)), (nil, .milliseconds(500)), (.notLeaderForPartition, .zero)],
                for: .produce, broker: 1)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "slow"), topics: ["slow"], logger: testLogger)
            let collector = Collector()
            let task = collector.start(consumer)
            let reports = try await produceAll(producer, messages(0..<300, topic: "slow"), timeout: 120)
            #expect(reports.allSatisfy { $0.isDelivered })
            try await eventually(120, "consumed through a slow broker") { collector.count >= 300 }
            expectNothingLost(reports, collector.messages.withLock { $0 })
            try cluster.setRoundTripTime(.zero, broker: 1)
            try await consumer.close()
            task.cancel()
            try await producer.close()
        }
    }
}
