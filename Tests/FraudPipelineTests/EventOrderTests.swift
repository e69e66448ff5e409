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

            // Offline: the same events sorted by (event time, labels first, partition, offset),
            // through a fresh engine with the same configuration.
            struct Placed {
                var time: Int64
                var rank: UInt64
                var offset: Int64
                var message: KafkaProducerMessage
            }
            var placed: [Placed] = []
            for message in messages {
                let report = try #require(reports[message.id])
                let isLabel = message.topic == "labels"
                let time: Int64
                if isLabel {
                    time = try LabelDecoder().decode(message.value!, defaultReportedAt: nil).reportedAt
                } else {
                    time = try TransactionDecoder().decode(message.value!).timestamp
                }
                let rank = (isLabel ? 0 : UInt64(1) << 32) | UInt64(UInt32(bitPattern: report.partition))
                placed.append(Placed(time: time, rank: rank, offset: report.offset, message: message))
            }
            placed.sort { ($0.time, $0.rank, $0.offset) < ($1.time, $1.rank, $1.offset) }
            let engine = Engine(configuration: configuration.engine)
            var offline: [String: Decision] = [:]
            for p in placed {
                if p.message.topic == "labels" {
                    _ = engine.learn(try LabelDecoder().decode(p.message.value!, defaultReportedAt: nil))
                } else {
                    let decision = try engine.score(try TransactionDecoder().decode(p.message.value!))
                    offline[decision.transactionID] = decision
                }
            }

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
                let stateVersion = (json["state_version"] as? NSNumber)?.uint64Value
                // Compared as written (Foundation's JSON parser may round the last digit).
                let text = String(decoding: record.value ?? [], as: UTF8.self)
                let score = text.firstMatch(of: #/"score":([0-9.eE+-]+)/#).map { String($0.1) }
                var written: [UInt8] = []
                JSONByteWriter.appendUnitInterval(expected.score, to: &written)
                let offlineScore = String(decoding: written, as: UTF8.self)
                if stateVersion != expected.stateVersion || score != offlineScore {
                    mismatches.append(
                        "\(tx): live v\(stateVersion ?? 0) \(score ?? "-"), offline v\(expected.stateVersion) \(offlineScore)")
                }
            }
            let differing = mismatches.count
            #expect(differing == 0, "\(differing) decisions differ, first: \(mismatches.prefix(3))")
        }
    }
}
