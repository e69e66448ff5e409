import FraudRules
import Foundation
import FraudPipeline
import RdKafka
import Testing

extension FraudPipelineTests {
    /// A rules file reloaded while the processor runs, wired as `RulesWatch` wires it for
    /// `fraudstream run`: a good file changes what alerts, a rejected one keeps the rules in force.
    @Suite struct RulesReloadPipelineTests {
        /// Reload events seen by the wiring task.
        final class EventLog: @unchecked Sendable {
            private let lock = NSLock()
            private var stored: [RulesReloadResult] = []
            func append(_ result: RulesReloadResult) { lock.withLock { stored.append(result) } }
            var results: [RulesReloadResult] { lock.withLock { stored } }
        }

        /// Writes `text` to `url` atomically (a new file renamed over the old one).
        static func write(_ text: String, to url: URL) throws {
            try Data(text.utf8).write(to: url, options: .atomic)
        }

        static func rules(version: String, blockCards: [String]) -> String {
            """
            version: "\(version)"
            thresholds: {review: off, alert: off, block: off}
            lists:
              block_cards: [\(blockCards.joined(separator: ", "))]
            """
        }

        /// `count` transactions alternating card-A and card-B, from minute `firstMinute` on
        /// (message ids too: `produceAll` tells the delivery reports apart by id).
        static func transactions(_ phase: String, count: Int, firstMinute: Int) -> [KafkaProducerMessage] {
            (0..<count).map { i in
                let card = i % 2 == 0 ? "card-A" : "card-B"
                let minute = firstMinute + i
                let timestamp = String(format: "2026-04-01T%02d:%02d:00.000Z", 10 + minute / 60, minute % 60)
                return KafkaProducerMessage(
                    topic: "transactions", key: card,
                    value: transactionJSON(id: "\(phase)-\(i)", card: card, amount: "\(30 + i).00", timestamp: timestamp),
                    id: UInt64(minute + 1))
            }
        }

        @Test func goodAndBadReloadsThroughTheProcessor() async throws {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("fraudstream-rules-reload-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("rules.yaml")
            try Self.write(Self.rules(version: "v1", blockCards: []), to: path)

            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 1, "labels": 1, "alerts": 1, "decisions": 1, "dead-letter": 1], logger: testLogger)
            let initial = try RuleSet.load(contentsOf: path.path)
            #expect(initial.version == "v1")
            let running = RunningProcessor(pipelineConfiguration(cluster, group: "rules-reload"), rules: initial)
            let processor = running.processor

            // The CLI's wiring (RulesWatch): every successful, changed reload replaces the rules.
            let reloader = RulesReloader(path: path.path, initial: initial)
            let events = reloader.events()
            let log = EventLog()
            let wiring = Task {
                for await result in events {
                    if result.succeeded && result.changed { processor.replaceRules(reloader.current) }
                    log.append(result)
                }
            }
            defer {
                reloader.stop()
                wiring.cancel()
            }

            let producer = try producer(cluster)
            var scored = 0
            func feed(_ messages: [KafkaProducerMessage]) async throws {
                _ = try await produceAll(producer, messages)
                scored += messages.count
                let expected = scored
                try await eventually(120, "\(expected) transactions scored") { processor.statistics.transactionsScored >= expected }
            }

            // v1: no lists, score thresholds off: nothing alerts.
            try await feed(Self.transactions("v1", count: 6, firstMinute: 0))
            #expect(processor.statistics.alertCount == 0)

            // v2 blocks card-A: the reload succeeds and reaches the processor.
            try Self.write(Self.rules(version: "v2", blockCards: ["card-A"]), to: path)
            let good = reloader.reload()
            #expect(good.succeeded, "\(good)")
            #expect(good.changed)
            #expect(good.previousVersion == "v1" && good.version == "v2")
            try await eventually(30, "the processor using v2") { processor.rules.version == "v2" }
            try await feed(Self.transactions("v2", count: 6, firstMinute: 10))
            #expect(processor.statistics.alertCount == 3)

            // v3 is rejected (an action that does not exist): v2 stays, in the reloader and the processor.
            try Self.write(
                Self.rules(version: "v3", blockCards: ["card-B"]) + "\nrules:\n  - {id: odd, action: explode, when: {amount: {min: 1}}}\n",
                to: path)
            let bad = reloader.reload()
            #expect(!bad.succeeded)
            let error = try #require(bad.error)
            #expect(error.file == path.path)
            #expect(error.description.contains(path.path), "\(error)")
            #expect(error.description.contains("action"), "\(error)")
            #expect(bad.version == "v2" && !bad.changed)
            #expect(reloader.current.version == "v2")
            #expect(reloader.lastError == error)
            try await eventually(30, "the wiring saw both reloads") { log.results.count == 2 }
            #expect(processor.rules.version == "v2")
            #expect(reloader.statistics == RulesReloadStatistics(succeeded: 1, failed: 1))
            try await feed(Self.transactions("v3", count: 6, firstMinute: 20))
            #expect(processor.statistics.alertCount == 6)

            // The file watcher picks up a fixed file by itself: v4 blocks card-B instead.
            reloader.startWatching(every: .milliseconds(200))
            try Self.write(Self.rules(version: "v4", blockCards: ["card-B"]), to: path)
            try await eventually(60, "the watcher loading v4 into the processor") { processor.rules.version == "v4" }
            let watched = try #require(log.results.last)
            #expect(watched.trigger == .fileChanged && watched.succeeded && watched.previousVersion == "v2", "\(watched)")
            try await feed(Self.transactions("v4", count: 6, firstMinute: 30))
            #expect(processor.statistics.alertCount == 9)
            let statistics = reloader.statistics
            #expect(statistics.succeeded >= 2 && statistics.failed == 1, "\(statistics)")

            try await producer.close()
            try await running.stop()
            #expect(processor.statistics.deadLetterCount == 0, "dead letters: \(processor.statistics.deadLetters)")

            // The alerts: card-A under v2 (before and after the rejected file), card-B under v4.
            let alerts = try await readTopic(cluster, "alerts", count: 9)
            #expect(alerts.count == 9)
            var expected: [String: (card: String, version: String)] = [:]
            for phase in ["v2", "v3"] {
                for i in stride(from: 0, to: 6, by: 2) { expected["\(phase)-\(i)"] = ("card-A", "v2") }
            }
            for i in stride(from: 1, to: 6, by: 2) { expected["v4-\(i)"] = ("card-B", "v4") }
            var seen: Set<String> = []
            for record in alerts {
                let alert = record.json
                let id = alert["transaction_id"] as? String ?? ""
                seen.insert(id)
                let want = try #require(expected[id], "unexpected alert \(alert)")
                #expect(alert["card_id"] as? String == want.card)
                #expect(record.keyString == want.card)
                #expect(alert["action"] as? String == "block", "\(alert)")
                #expect(alert["rules_version"] as? String == want.version, "\(alert)")
                #expect(alert["rule_ids"] as? [String] == ["list:block_cards"], "\(alert)")
            }
            #expect(seen == Set(expected.keys))

            // Every transaction was decided under the rules in force when it was processed.
            let decisions = try await readTopic(cluster, "decisions", count: 24)
            #expect(decisions.count == 24)
            for record in decisions {
                let decision = record.json
                let id = decision["transaction_id"] as? String ?? ""
                let version = decision["rules_version"] as? String
                switch id.prefix(2) {
                case "v1": #expect(version == "v1", "\(decision)")
                case "v2", "v3": #expect(version == "v2", "\(decision)")
                default: #expect(version == "v4", "\(decision)")
                }
                #expect((decision["action"] is NSNull) == (expected[id] == nil), "\(decision)")
            }
            cluster.shutdown()
        }
    }
}
