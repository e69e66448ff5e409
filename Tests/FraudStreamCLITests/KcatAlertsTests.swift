import FraudEngine
import FraudPipeline
import FraudRules
import FraudSchema
import Foundation
import Logging
import RdKafka
import Testing

/// An alert consumer not written here (kcat) reads what the live processor writes to the
/// alerts topic: keyed by card, one JSON alert per message, valid against
/// `schemas/alert.schema.json`.
@Suite(.serialized) struct KcatAlertsTests {
    /// kcat on PATH (or the Debian location).
    static let kcat: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(directory)/kcat"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static let schemas = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas")

    static let logger: Logger = {
        var logger = Logger(label: "fraudstream.cli.test.kcat-alerts")
        logger.logLevel = .critical
        return logger
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func runKcat(_ path: String, _ arguments: [String], timeout: TimeInterval = 60) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let result = try FraudStreamCLI.runProcess(URL(fileURLWithPath: path), arguments, timeout: timeout)
        return (result.status, result.stdout, result.stderr)
    }

    static func transaction(id: String, card: String, amount: String, minute: Int) -> [UInt8] {
        let timestamp = String(format: "2026-04-01T%02d:%02d:00.000Z", 10 + minute / 60, minute % 60)
        let json = #"{"transaction_id":"\#(id)","card_id":"\#(card)","merchant_id":"m-\#(minute % 3)","amount":\#(amount),"currency":"EUR","timestamp":"\#(timestamp)","terminal_id":"t-\#(minute % 4)"}"#
        return Array(json.utf8)
    }

    @Test(.enabled(if: kcat != nil, "kcat is not installed (apt-get install kcat)"))
    func kcatReadsSchemaValidAlertsKeyedByCard() async throws {
        let kcat = try #require(Self.kcat)
        let cluster = try EmbeddedKafkaCluster(
            topics: ["transactions": 1, "labels": 1, "alerts": 2, "decisions": 1, "dead-letter": 1], logger: Self.logger)
        defer { cluster.shutdown() }

        // Score thresholds off: only the block list and the amount rule act, so exactly the
        // rule-certain transactions raise alerts.
        let rules = try RuleSet(
            yaml: """
                version: "kcat-alerts-1"
                thresholds: {review: off, alert: off, block: off}
                lists:
                  block_cards: [card-X]
                rules:
                  - id: very-large-amount
                    action: review
                    when: {amount: {min: 5000}}
                """)
        var engine = EngineConfiguration.default
        engine.allowedLatenessMillis = 2 * 86_400_000
        let configuration = PipelineConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupID: "kcat-alerts", engine: engine,
            kafkaProperties: ["session.timeout.ms": "10000", "heartbeat.interval.ms": "500"],
            commitInterval: .milliseconds(200), maxBatchSize: 512, reorderWait: .seconds(1))
        let processor = LiveProcessor(configuration: configuration, rules: rules, logger: Self.logger)
        let processing = Task { try await processor.run() }

        // 36 transactions: 8 of the blocked card, 8 very large ones of other cards, 20 plain.
        var messages: [(card: String, value: [UInt8])] = []
        var blocked: Set<String> = []
        var large: Set<String> = []
        for i in 0..<36 {
            let id = "kcat-tx-\(i)"
            let card: String
            let amount: String
            switch i % 9 {
            case 0, 4: card = "card-X"; amount = "12.50"; blocked.insert(id)
            case 2, 7: card = "card-\(i % 5)"; amount = "7500.00"; large.insert(id)
            default: card = "card-\(i % 5)"; amount = "\(20 + i).99"
            }
            messages.append((card, Self.transaction(id: id, card: card, amount: amount, minute: i)))
        }
        #expect(blocked.count == 8 && large.count == 8)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], linger: .milliseconds(2), deliveryReports: .errorsOnly),
            logger: Self.logger)
        for message in messages {
            try await producer.send(KafkaProducerMessage(topic: "transactions", key: Array(message.card.utf8), value: message.value))
        }
        try await producer.close()

        // Wait until all are scored, then stop: every alert is acknowledged by the broker.
        let deadline = ContinuousClock.now + .seconds(90)
        while processor.statistics.transactionsScored < messages.count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let statistics = processor.statistics
        #expect(statistics.transactionsScored == messages.count, "scored \(statistics.transactionsScored) of \(messages.count)")
        processor.stop()
        try await processing.value
        #expect(statistics.deadLetterCount == 0, "dead letters: \(statistics.deadLetters)")

        // kcat reads the alerts topic from the beginning to its end.
        let (status, stdout, stderr) = try Self.runKcat(
            kcat, ["-b", cluster.bootstrapServers, "-C", "-t", "alerts", "-o", "beginning", "-e", "-q", "-f", "%k\\t%s\\n"],
            timeout: 60)
        #expect(status == 0, "kcat failed: \(stderr)")
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == blocked.count + large.count, "kcat output:\n\(stdout)")

        let schema = try JSONSchema(contentsOf: Self.schemas.appendingPathComponent("alert.schema.json"))
        var actionByTransaction: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(parts.count == 2, "not key<TAB>value: \(line)")
            let key = String(parts[0])
            let value = try JSONValue.parse(String(parts[1]))
            let violations = schema.validate(value)
            #expect(violations.isEmpty, "\(violations) in \(parts[1])")
            guard case .string(let card)? = value["card_id"], case .string(let transaction)? = value["transaction_id"],
                case .string(let action)? = value["action"], case .string(let version)? = value["rules_version"]
            else {
                Issue.record("alert without card_id, transaction_id, action or rules_version: \(parts[1])")
                continue
            }
            #expect(key == card, "message key \(key) is not the alert's card_id \(card)")
            #expect(version == "kcat-alerts-1")
            #expect(actionByTransaction[transaction] == nil, "duplicate alert for \(transaction)")
            actionByTransaction[transaction] = action
        }
        #expect(Set(actionByTransaction.keys) == blocked.union(large))
        for id in blocked { #expect(actionByTransaction[id] == "block", "blocked-card transaction \(id)") }
        for id in large { #expect(actionByTransaction[id] == "review", "very large transaction \(id)") }
    }
}
