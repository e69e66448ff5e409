import FraudEngine
import FraudPipeline
import FraudSimulator
import Foundation
import Logging
import RdKafka
import Synchronization
import Testing

/// The crash test: `fraudstream run` (with checkpoints) is killed with SIGKILL at random
/// moments while a simulated stream arrives, and restarted each time; afterwards a checker
/// reads the topics. Every transaction must have a decision, every alert the rules make
/// certain must be there, and a transaction decided more than once must carry the same
/// alert id each time.
///
/// Bounded here (`CRASH_TEST_SECONDS`, default 30 s of input, 5 kills);
/// `scripts/crash-test.sh` runs it longer.
@Suite(.serialized) struct CrashRecoveryTests {
    static let logger: Logger = {
        var logger = Logger(label: "fraudstream.crash-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Reads decisions and alerts from the start, continuously.
    final class OutputReader: Sendable {
        struct Seen {
            var decisions: [String: Int] = [:]
            var alertIDs: [String: Set<String>] = [:]
            var alerts = 0
        }
        let seen = Mutex(Seen())

        func record(_ message: KafkaMessage) {
            guard let value = message.value,
                let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                let tx = json["transaction_id"] as? String
            else { return }
            seen.withLock { s in
                if message.topic == "decisions" {
                    s.decisions[tx, default: 0] += 1
                } else if let id = json["alert_id"] as? String {
                    s.alerts += 1
                    s.alertIDs[tx, default: []].insert(id)
                }
            }
        }
    }

    /// As a group member (a restarted one waits for the group) and as a lone processor that
    /// assigns itself every partition (`--assignment all_partitions`: back at once).
    @Test(arguments: ["group", "all_partitions"])
    func killedAndRestartedProcessorLosesNothing(assignment: String) async throws {
        let seconds = Double(ProcessInfo.processInfo.environment["CRASH_TEST_SECONDS"] ?? "") ?? 30
        let kills = Int(ProcessInfo.processInfo.environment["CRASH_TEST_KILLS"] ?? "") ?? 5
        let rate = 1_000.0
        // The embedded broker keeps about 5 MB per partition: enough partitions for all of it.
        let partitions = max(4, Int((rate * seconds * 300 / 4_000_000).rounded(.up)))
        let cluster = try EmbeddedKafkaCluster(
            topics: [
                "transactions": partitions, "labels": 4, "alerts": 4, "decisions": partitions * 2, "dead-letter": 1,
            ],
            logger: Self.logger)
        defer { cluster.shutdown() }
        let directory = try FraudStreamCLI.temporaryDirectory()
        // CRASH_TEST_KEEP=1 keeps the processors' logs and checkpoints for a look afterwards.
        let keep = ProcessInfo.processInfo.environment["CRASH_TEST_KEEP"] != nil
        defer { if keep { print("crash test: kept \(directory.path)") } else { try? FileManager.default.removeItem(at: directory) } }

        // Certain alerts: five block-listed cards and every amount of 250 or more.
        let blocked = (0..<5).map { "card-\($0 * 37)" }
        let rulesPath = directory.appendingPathComponent("rules.yaml").path
        try """
            version: "crash-test-1"
            thresholds: {review: 0.6, alert: 0.8, block: 0.95}
            lists:
              block_cards: [\(blocked.map { "\"\($0)\"" }.joined(separator: ", "))]
            rules:
              - id: large-amount
                action: review
                when: {amount: {min: 250}}
            """.write(toFile: rulesPath, atomically: true, encoding: .utf8)

        // Every transaction is remembered for the checker.
        var simulation = SimulatorConfiguration(customers: 400, terminals: 800, days: 60, seed: 3)
        simulation.start = try RFC3339.parse("2026-04-01T00:00:00Z")
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], linger: .milliseconds(5), deliveryReports: .errorsOnly),
            logger: Self.logger)
        let feed = SimulatedFeed(
            stream: try SimulatedEventStream(configuration: simulation), producer: producer,
            configuration: SimulatedFeed.Configuration(
                transactionsTopic: "transactions", labelsTopic: "labels", rate: rate,
                maxTransactions: Int(rate * seconds)))

        let reader = OutputReader()
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], groupID: "crash-checker", autoOffsetReset: .earliest,
                properties: EmbeddedKafkaCluster.lowLatencyConsumerProperties),
            topics: ["decisions", "alerts"], logger: Self.logger)
        let reading = Task {
            for try await batch in consumer.batches { for message in batch { reader.record(message) } }
        }

        let checkpoints = directory.appendingPathComponent("checkpoints").path
        let arguments = [
            "run", "--bootstrap", cluster.bootstrapServers, "--group-id", "crash", "--assignment", assignment,
            "--rules-file", rulesPath,
            "--checkpoint-dir", checkpoints, "--checkpoint-interval", "2", "--log-level", ProcessInfo.processInfo.environment["CRASH_TEST_LOG_LEVEL"] ?? "warning",
            // Simulated time runs ~100,000 times faster than the clock here: a day of
            // lateness is about a second of wall time (see `fraudstream demo`). A restarted
            // processor catching up on a backlog merges partitions in event time, but a
            // partition whose fetch is held up longer than the reorder wait (0.5 s: weeks of
            // simulated time) stops blocking; on a loaded machine the others then run weeks
            // ahead and its transactions go to the dead-letter topic as too late, accounted
            // but undecided (1,944 in one run). 60 days keeps that compression artefact out
            // of a test about losing nothing; at real speed 0.5 s is 0.5 s of event time.
            "--allowed-lateness", "5184000",
            // A killed member holds its partitions until its session times out (45 s by
            // default): keep that short so the restarted one takes over soon.
            "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=1000",
        ]
        func startProcessor(_ n: Int) throws -> Process {
            let process = Process()
            process.executableURL = try FraudStreamCLI.binary()
            process.arguments = arguments
            let log = directory.appendingPathComponent("run-\(n).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return process
        }

        let feeding = Task { try await feed.run() }
        var generator = SplitMix(seed: 20_261_124)
        var processor = try startProcessor(0)
        for kill in 1...kills {
            // Random moments spread over the input (some before the first checkpoint).
            let wait = seconds / Double(kills) * (0.4 + 1.2 * generator.nextUnit())
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            Foundation.kill(processor.processIdentifier, SIGKILL)
            processor.waitUntilExit()
            #expect(processor.terminationReason == .uncaughtSignal, "kill \(kill)")
            processor = try startProcessor(kill)
        }
        try await feeding.value
        try await producer.close(timeout: .seconds(30))
        let sent = feed.progress

        // Let the last processor catch up, then stop it cleanly.
        let sentIDs = try await Self.transactionIDs(cluster, expected: sent.transactions)
        func waitForAllDecided() async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                let decided = reader.seen.withLock { s in sentIDs.allSatisfy { s.decisions[$0] != nil } }
                if decided { return true }
                try await Task.sleep(for: .milliseconds(250))
            }
            return false
        }
        var caughtUp = try await waitForAllDecided()
        processor.interrupt()
        processor.waitUntilExit()
        #expect(processor.terminationStatus == 0, "the last processor stopped cleanly")
        if !caughtUp {
            // On a heavily loaded machine the last processor may still be behind: one clean
            // restart tells lag (it decides the rest) from loss (input committed without a
            // decision can never come back).
            print("crash test: not all decided within 120 s; restarting once more to tell lag from loss")
            processor = try startProcessor(kills + 1)
            caughtUp = try await waitForAllDecided()
            processor.interrupt()
            processor.waitUntilExit()
            #expect(processor.terminationStatus == 0, "the extra processor stopped cleanly")
        }
        try await Task.sleep(for: .seconds(1))
        try? await consumer.close()
        reading.cancel()

        // The checker.
        let transactions = try await Self.transactions(cluster, expected: sent.transactions)
        let seen = reader.seen.withLock { $0 }
        let undecided = transactions.filter { seen.decisions[$0.transactionID] == nil }
        let certain = transactions.filter { blocked.contains($0.cardID) || $0.amount >= Money(whole: 250) }
        let missingAlerts = certain.filter { seen.alertIDs[$0.transactionID] == nil }
        let duplicates = seen.decisions.values.filter { $0 > 1 }.count
        let inconsistentAlertIDs = seen.alertIDs.filter { $0.value.count > 1 }.count
        let report = """
            crash test (\(assignment)): \(sent.transactions) transactions, \(sent.labels) labels, \(kills) SIGKILLs; \
            decisions for \(seen.decisions.count) transactions (\(duplicates) decided more than once), \
            \(seen.alerts) alerts; certain alerts \(certain.count), missing \(missingAlerts.count); \
            transactions without a decision \(undecided.count); duplicates with a different alert id \(inconsistentAlertIDs)
            """
        print(report)
        #expect(transactions.count == sent.transactions)
        #expect(!certain.isEmpty)
        #expect(undecided.count == 0, "\(report); first undecided: \(undecided.prefix(3).map(\.transactionID))")
        #expect(missingAlerts.count == 0, "\(report); first missing: \(missingAlerts.prefix(3).map(\.transactionID))")
        #expect(inconsistentAlertIDs == 0, "\(report)")
    }

    /// Every transaction on the topic.
    static func transactions(_ cluster: EmbeddedKafkaCluster, expected: Int) async throws -> [Transaction] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], groupID: "crash-transactions-\(UUID().uuidString)",
                autoOffsetReset: .earliest),
            topics: ["transactions"], logger: logger)
        var out: [Transaction] = []
        let deadline = ContinuousClock.now + .seconds(60)
        for try await batch in consumer.batches {
            for message in batch {
                if let value = message.value, let t = try? TransactionDecoder().decode(value) { out.append(t) }
            }
            if out.count >= expected || ContinuousClock.now > deadline { break }
        }
        try await consumer.close()
        return out
    }

    static func transactionIDs(_ cluster: EmbeddedKafkaCluster, expected: Int) async throws -> [String] {
        try await transactions(cluster, expected: expected).map(\.transactionID)
    }
}

/// A small seeded generator (the kill moments are reproducible).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
