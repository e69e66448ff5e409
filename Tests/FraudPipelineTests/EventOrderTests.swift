import FraudRules
import Foundation
import FraudEngine
import FraudPipeline
import FraudSimulator
import RdKafka
import Testing

extension FraudPipelineTests {
    /// A backlog spread over many partitions reaches the engine as one stream in event-time
    /// order: nothing is "too late", labels wait for the transactions they follow, and the
    /// live decisions equal an offline engine run over the same events in merged order.
    @Suite struct EventOrderTests {
        @Test func backlogOverManyPartitionsIsMergedInEventTimeOrder() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 6, "labels": 2, "alerts": 1, "decisions": 2, "dead-letter": 1],
                logger: testLogger)
            var stream = try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 250, terminals: 500, days: 16, seed: 11))
            var events: [SimulatedEvent] = []
            while let event = stream.next() { events.append(event) }

            // The whole backlog is written before the processor starts.
            var messages: [KafkaProducerMessage] = []
            for event in events {
                switch event {
                case .transaction(let t):
                    messages.append(KafkaProducerMessage(
                        topic: "transactions", key: Array(t.transaction.cardID.utf8),
                        value: TransactionEncoder().encode(t.transaction), id: UInt64(messages.count)))
                case .label(let label):
                    messages.append(KafkaProducerMessage(
                        topic: "labels", key: Array(label.transactionID.utf8), value: LabelEncoder().encode(label),
                        timestamp: label.reportedAt, id: UInt64(messages.count)))
                case .compromise: break
                }
            }
            let producer = try producer(cluster)
            let reports = try await produceAll(producer, messages)
            try await producer.close()
            let transactionCount = messages.count { $0.topic == "transactions" }
            let labelCount = messages.count - transactionCount
            #expect(labelCount > 20)

            // The engine's default lateness (1 h): a partition read ahead of the others by more
            // than an hour of event time would turn the others' transactions into dead letters.
            var configuration = pipelineConfiguration(cluster, group: "order", reorderWait: .seconds(5))
            configuration.engine.allowedLatenessMillis = EngineConfiguration.default.allowedLatenessMillis
            let run = RunningProcessor(configuration, rules: .builtIn)
            try await run.waitForInput(messages.count)
            try await run.stop()
            let stats = run.processor.statistics
            #expect(stats.deadLetterCount == 0, "dead letters: \(stats.deadLetters)")
            #expect(stats.transactionsScored == transactionCount)
            #expect(stats.forcedReleases == 0)
            #expect(stats.heldForOrdering == 0)
            #expect((stats.labelOutcomes["learned_fraud"] ?? 0) == labelCount, "label outcomes: \(stats.labelOutcomes)")

            // Offline: the same events in merged order through a fresh engine.
            let offline = try offlineDecisions(messages, reports: reports, configuration: configuration.engine)

            let records = try await readTopic(cluster, "decisions", count: transactionCount)
            #expect(records.count == transactionCount)
            var mismatches: [String] = []
            for record in records {
                let json = record.json
                let tx = json["transaction_id"] as? String ?? ""
                guard let expected = offline[tx] else {
                    mismatches.append("\(tx): not scored offline")
                    continue
                }
                if let mismatch = decisionMismatch(record, expected: expected) { mismatches.append(mismatch) }
            }
            let differing = mismatches.count
            #expect(differing == 0, "\(differing) decisions differ, first: \(mismatches.prefix(3))")
        }
    }
}
