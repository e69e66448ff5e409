import FraudRules
import Foundation
import FraudEngine
import FraudPipeline
import FraudSimulator
import RdKafka
import Testing

extension FraudPipelineTests {
    /// A generated stream through the processor: alerts, decision log, labels, stable ids.
    @Suite struct EndToEndTests {
        static let alertKeys: Set<String> = [
            "alert_id", "transaction_id", "card_id", "score", "components", "action", "rule_ids", "reasons",
            "model_version", "rules_version", "event_time", "processed_at",
        ]
        static func isRFC3339(_ text: String) -> Bool {
            text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil
        }

        @Test func generatedStreamGivesAlertsDecisionsAndLearnsFromLabels() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: [
                    "transactions": 1, "labels": 1, "no-labels": 1, "alerts": 2, "alerts-2": 2, "decisions": 4,
                    "decisions-2": 4, "dead-letter": 1,
                ],
                logger: testLogger)
            var stream = try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 300, terminals: 600, days: 20, seed: 7))
            var events: [SimulatedEvent] = []
            while let event = stream.next() { events.append(event) }
            let transactions = events.compactMap { if case .transaction(let t) = $0 { t } else { nil } }
            #expect(transactions.count > 2000)
            let blockedCard = transactions[transactions.count / 2].transaction.cardID
            let rules = try RuleSet(
                yaml: """
                    version: "test-rules-1"
                    thresholds: {review: 0.6, alert: 0.8, block: 0.95}
                    lists:
                      block_cards: ["\(blockedCard)"]
                    rules:
                      - id: large-amount
                        action: review
                        when: {amount: {min: 300}}
                    """)

            // Run 1: transactions and labels, fed one simulated day at a time (as a live
            // feed arrives), waiting for the processor after each day.
            let run1 = RunningProcessor(pipelineConfiguration(cluster, group: "run-1"), rules: rules)
            let producer = try producer(cluster)
            var sourceOffsets: [String: Int64] = [:]
            var fed = 0
            var id: UInt64 = 0
            let dayMillis: Int64 = 86_400_000
            var dayStart = events.first!.time
            var index = 0
            while index < events.count {
                var messages: [KafkaProducerMessage] = []
                var ids: [UInt64: String] = [:]
                while index < events.count, events[index].time < dayStart + dayMillis {
                    switch events[index] {
                    case .transaction(let t):
                        id += 1
                        ids[id] = t.transaction.transactionID
                        messages.append(KafkaProducerMessage(
                            topic: "transactions", key: Array(t.transaction.cardID.utf8),
                            value: TransactionEncoder().encode(t.transaction), id: id))
                    case .label(let label):
                        id += 1
                        messages.append(KafkaProducerMessage(
                            topic: "labels", key: Array(label.transactionID.utf8), value: LabelEncoder().encode(label),
                            timestamp: label.reportedAt, id: id))
                    case .compromise: break
                    }
                    index += 1
                }
                dayStart += dayMillis
                guard !messages.isEmpty else { continue }
                let reports = try await produceAll(producer, messages)
                for (rid, tx) in ids { sourceOffsets[tx] = reports[rid]?.offset }
                fed += messages.count
                try await run1.waitForInput(fed)
            }
            try await producer.close()
            try await run1.stop()
            let stats1 = run1.processor.statistics
            #expect(stats1.transactionsScored == transactions.count)
            // The processing thread's CPU time is reported (bench e2e divides it by the transactions).
            #expect(stats1.processingCPUSeconds > 0, "processing CPU: \(stats1.processingCPUSeconds)")
            #expect(stats1.deadLetterCount == 0, "dead letters: \(stats1.deadLetters)")
            #expect((stats1.labelOutcomes["learned_fraud"] ?? 0) > 0, "label outcomes: \(stats1.labelOutcomes)")

            // The decision log: exactly one record per transaction, with its source offset.
            let decisions = try await readTopic(cluster, "decisions", count: transactions.count)
            #expect(decisions.count == transactions.count)
            var decisionByTx: [String: [String: Any]] = [:]
            for record in decisions {
                let json = record.json
                let tx = json["transaction_id"] as? String ?? ""
                #expect(decisionByTx[tx] == nil, "duplicate decision for \(tx)")
                decisionByTx[tx] = json
                #expect(record.keyString == json["card_id"] as? String)
                let source = json["source"] as? [String: Any] ?? [:]
                #expect(source["topic"] as? String == "transactions")
                #expect(source["partition"] as? Int == 0)
                #expect((source["offset"] as? NSNumber)?.int64Value == sourceOffsets[tx], "source offset of \(tx)")
                #expect((json["model_version"] as? String)?.hasPrefix("engine-") == true)
                #expect(json["rules_version"] as? String == "test-rules-1")
                #expect(json["state_version"] is NSNumber)
            }
            #expect(Set(decisionByTx.keys) == Set(transactions.map(\.transaction.transactionID)))

            // Alerts: exactly the decisions with an action; the rule-certain ones all present.
            let actioned = decisionByTx.filter { !($0.value["action"] is NSNull) }
            let alerts = try await readTopic(cluster, "alerts", count: actioned.count)
            #expect(alerts.count == actioned.count)
            #expect(stats1.alertCount == actioned.count)
            var alertByTx: [String: [String: Any]] = [:]
            for record in alerts {
                let alert = record.json
                try validateAlert(alert, key: record.keyString)
                alertByTx[alert["transaction_id"] as! String] = alert
                #expect(decisionByTx[alert["transaction_id"] as! String]?["alert_id"] as? String == alert["alert_id"] as? String)
            }
            #expect(Set(alertByTx.keys) == Set(actioned.keys))
            var certain = 0
            for t in transactions.map(\.transaction) {
                let blocked = t.cardID == blockedCard
                let large = t.amount >= Money(whole: 300)
                guard blocked || large else { continue }
                certain += 1
                let alert = try #require(alertByTx[t.transactionID], "rule-certain alert for \(t.transactionID)")
                let ids = alert["rule_ids"] as? [String] ?? []
                if blocked {
                    #expect(alert["action"] as? String == "block")
                    #expect(ids.contains("list:block_cards"))
                }
                if large { #expect(ids.contains("large-amount")) }
            }
            #expect(certain > 0)
            for (tx, alert) in alertByTx {
                let ids = alert["rule_ids"] as? [String] ?? []
                let certainIDs = ids.contains("list:block_cards") || ids.contains("large-amount")
                if !certainIDs {
                    #expect((alert["score"] as? Double ?? 0) >= 0.6, "score-based alert \(tx)")
                    #expect(ids.contains { $0.hasPrefix("threshold:default:") })
                }
            }

            // Run 2: the same transactions without labels (another group, another output).
            let run2 = RunningProcessor(
                pipelineConfiguration(
                    cluster, group: "run-2",
                    topics: PipelineTopics(labels: "no-labels", alerts: "alerts-2", decisions: "decisions-2")),
                rules: rules)
            try await run2.waitForInput(transactions.count)
            try await run2.stop()
            let decisions2 = try await readTopic(cluster, "decisions-2", count: transactions.count)
            let alerts2 = try await readTopic(cluster, "alerts-2", count: run2.processor.statistics.alertCount)
            var alert2ByTx: [String: String] = [:]
            for record in alerts2 {
                let json = record.json
                alert2ByTx[json["transaction_id"] as! String] = json["alert_id"] as? String
            }
            // Stable ids: the same transaction gets the same alert id in both runs.
            var compared = 0
            for (tx, alert) in alertByTx {
                guard let other = alert2ByTx[tx] else { continue }
                #expect(other == alert["alert_id"] as? String)
                compared += 1
            }
            #expect(compared >= certain)
            #expect(AlertID.make(transactionID: "tx-1") == AlertID.make(transactionID: "tx-1"))

            // Labels change the model: fraudulent transactions of the second half score
            // higher when the fraud reports were delivered.
            let secondHalf = transactions.filter { $0.day >= 10 }
            let frauds = Set(secondHalf.filter(\.isFraud).map(\.transaction.transactionID))
            #expect(!frauds.isEmpty)
            var scores2: [String: Double] = [:]
            for record in decisions2 {
                let json = record.json
                scores2[json["transaction_id"] as! String] = json["score"] as? Double
            }
            let withLabels = frauds.compactMap { decisionByTx[$0]?["score"] as? Double }
            let withoutLabels = frauds.compactMap { scores2[$0] }
            let mean1 = withLabels.reduce(0, +) / Double(max(withLabels.count, 1))
            let mean2 = withoutLabels.reduce(0, +) / Double(max(withoutLabels.count, 1))
            #expect(withLabels.count == frauds.count && withoutLabels.count == frauds.count)
            #expect(mean1 > mean2, "mean fraud score with labels \(mean1), without \(mean2)")
        }

        /// Field-by-field check against `schemas/alert.schema.json`.
        func validateAlert(_ alert: [String: Any], key: String?) throws {
            #expect(Set(alert.keys) == Self.alertKeys)
            let tx = try #require(alert["transaction_id"] as? String)
            #expect(!tx.isEmpty && tx.count <= 128)
            let card = try #require(alert["card_id"] as? String)
            #expect(!card.isEmpty && card.count <= 128)
            #expect(key == card)
            let alertID = try #require(alert["alert_id"] as? String)
            #expect(alertID == AlertID.make(transactionID: tx))
            #expect(!alertID.isEmpty && alertID.count <= 256)
            let score = try #require(alert["score"] as? Double)
            #expect((0...1).contains(score))
            let components = try #require(alert["components"] as? [String: Any])
            #expect(Set(components.keys) == ["model_probability", "anomaly"])
            #expect((0...1).contains(try #require(components["model_probability"] as? Double)))
            #expect((0...1).contains(try #require(components["anomaly"] as? Double)))
            #expect(["alert", "review", "block"].contains(try #require(alert["action"] as? String)))
            let ruleIDs = try #require(alert["rule_ids"] as? [String])
            #expect(Set(ruleIDs).count == ruleIDs.count && ruleIDs.allSatisfy { !$0.isEmpty })
            let reasons = try #require(alert["reasons"] as? [[String: Any]])
            for reason in reasons {
                #expect(Set(reason.keys) == ["code", "contribution"])
                let code = try #require(reason["code"] as? String)
                #expect(code.wholeMatch(of: #/[a-z][a-z0-9_]*/#) != nil, "reason code \(code)")
                #expect(reason["contribution"] is NSNumber)
            }
            #expect((try #require(alert["model_version"] as? String)).isEmpty == false)
            #expect((try #require(alert["rules_version"] as? String)).isEmpty == false)
            #expect(Self.isRFC3339(try #require(alert["event_time"] as? String)))
            #expect(Self.isRFC3339(try #require(alert["processed_at"] as? String)))
        }
    }
}
