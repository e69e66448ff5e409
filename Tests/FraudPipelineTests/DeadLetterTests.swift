import FraudRules
import Foundation
import FraudEngine
import FraudPipeline
import RdKafka
import Testing

extension FraudPipelineTests {
    /// Every kind of bad input ends in the dead-letter topic with its reason; the stream goes on.
    @Suite struct DeadLetterTests {
        @Test func badInputGoesToDeadLettersAndTheStreamContinues() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 1, "labels": 1, "alerts": 1, "decisions": 1, "dead-letter": 1],
                logger: testLogger)
            let oversized = transactionJSON(id: "big").replacingOccurrences(
                of: "\"terminal_id\"", with: "\"padding\":\"\(String(repeating: "x", count: 70_000))\",\"terminal_id\"")
            let invalidUTF8 = Array(#"{"transaction_id":"u","card_id":"card-1","merchant_id":"m"#.utf8) + [0xFF]
                + Array(#"","amount":5,"currency":"EUR","timestamp":"2026-04-01T10:00:00Z"}"#.utf8)
            // (value, expected reason or nil for valid, expected field)
            let cases: [(String, [UInt8]?, String?, String?)] = [
                ("valid-1", Array(transactionJSON(id: "ok-1").utf8), nil, nil),
                ("malformed", Array(#"{"transaction_id":"x","#.utf8), "malformed_json", nil),
                ("missing", Array(#"{"transaction_id":"m","merchant_id":"m-1","amount":5,"currency":"EUR","timestamp":"2026-04-01T10:00:00Z"}"#.utf8), "missing_field", "card_id"),
                ("wrong-type", Array(transactionJSON(id: "w", amount: "\"12.50\"").utf8), "wrong_type", "amount"),
                ("negative", Array(transactionJSON(id: "n", amount: "-5").utf8), "invalid_value", "amount"),
                ("currency", Array(transactionJSON(id: "c", currency: "XQZ").utf8), "invalid_value", "currency"),
                ("utf8", invalidUTF8, "invalid_utf8", "merchant_id"),
                ("oversized", Array(oversized.utf8), "too_large", nil),
                ("beyond-2100", Array(transactionJSON(id: "f1", timestamp: "2150-01-01T00:00:00.000Z").utf8), "invalid_value", "timestamp"),
                ("far-future", Array(transactionJSON(id: "f2", timestamp: "2090-01-01T00:00:00.000Z").utf8), "too_far_in_future", "timestamp"),
                ("tombstone", nil, "tombstone", nil),
                ("too-late", Array(transactionJSON(id: "late", timestamp: "2026-03-20T10:00:00.000Z").utf8), "too_late", "timestamp"),
                ("valid-2", Array(transactionJSON(id: "ok-2", timestamp: "2026-04-01T10:05:00.000Z").utf8), nil, nil),
            ]
            let producer = try producer(cluster)
            var messages = cases.enumerated().map { i, c in
                KafkaProducerMessage(topic: "transactions", key: Array("key-\(c.0)".utf8), value: c.1, id: UInt64(i + 1))
            }
            messages.append(KafkaProducerMessage(topic: "labels", key: Array("label-bad".utf8), value: Array(#"{"is_fraud":true}"#.utf8), id: 100))
            messages.append(KafkaProducerMessage(topic: "labels", key: nil as [UInt8]?, value: nil as [UInt8]?, id: 101))
            _ = try await produceAll(producer, messages)
            try await producer.close()

            var configuration = pipelineConfiguration(cluster, group: "dlq", allowedLatenessDays: 1)
            configuration.maxBatchSize = 4  // several batches
            let run = RunningProcessor(configuration, rules: .builtIn)
            try await run.waitForInput(messages.count)
            try await run.stop()

            let expected = cases.filter { $0.2 != nil }
            let letters = try await readTopic(cluster, "dead-letter", count: expected.count + 2)
            #expect(letters.count == expected.count + 2)
            var byKey: [String: Record] = [:]
            for letter in letters { byKey[letter.keyString ?? "<null>"] = letter }
            for (offset, c) in cases.enumerated() where c.2 != nil {
                let letter = try #require(byKey["key-\(c.0)"], "dead letter for \(c.0)")
                #expect(letter.header(DeadLetterHeaders.reason) == c.2, "\(c.0): reason \(letter.header(DeadLetterHeaders.reason) ?? "-")")
                #expect(letter.header(DeadLetterHeaders.field) == (c.3 ?? ""), "\(c.0): field")
                #expect(letter.header(DeadLetterHeaders.message)?.isEmpty == false)
                #expect(letter.header(DeadLetterHeaders.sourceTopic) == "transactions")
                #expect(letter.header(DeadLetterHeaders.sourcePartition) == "0")
                #expect(letter.header(DeadLetterHeaders.sourceOffset) == String(offset))
                #expect(letter.value == c.1, "\(c.0): original bytes")
            }
            let badLabel = try #require(byKey["label-bad"])
            #expect(badLabel.header(DeadLetterHeaders.reason) == "missing_field")
            #expect(badLabel.header(DeadLetterHeaders.field) == "transaction_id")
            #expect(badLabel.header(DeadLetterHeaders.sourceTopic) == "labels")
            let labelTombstone = try #require(byKey["<null>"])
            #expect(labelTombstone.header(DeadLetterHeaders.reason) == "tombstone")
            #expect(labelTombstone.value == nil)

            let stats = run.processor.statistics
            #expect(stats.transactionsScored == 2)
            #expect(stats.deadLetterCount == expected.count + 2)
            #expect(stats.deadLetters["too_large"] == 1 && stats.deadLetters["tombstone"] == 2)
            let decisions = try await readTopic(cluster, "decisions", count: 2)
            #expect(Set(decisions.map { $0.json["transaction_id"] as? String ?? "" }) == ["ok-1", "ok-2"])
        }
    }
}
