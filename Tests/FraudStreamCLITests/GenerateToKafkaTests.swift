import FraudEngine
import Foundation
import RdKafka
import Testing

/// `fraudstream generate --bootstrap`: the simulator writing to a Kafka cluster at a rate,
/// read back by kcat (a client not written here).
@Suite(.serialized) struct GenerateToKafkaTests {
    @Test func generateWritesValidTransactionsAndLabelsToKafkaAtTheRate() throws {
        let cluster = try EmbeddedKafkaCluster(topics: ["tx": 3, "lb": 2])
        defer { cluster.shutdown() }
        let began = Date()
        let result = try FraudStreamCLI.run([
            "generate", "--bootstrap", cluster.bootstrapServers, "--topic", "tx", "--labels-topic", "lb",
            "--rate", "2000", "--limit", "600", "--customers", "200", "--terminals", "400", "--days", "30",
        ])
        let elapsed = Date().timeIntervalSince(began)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("sent 600 transactions"), "stdout: \(result.stdout)")
        // 600 transactions at 2000/s cannot take less than 0.3 s (a lower bound only).
        #expect(elapsed >= 0.25, "600 transactions at 2000/s took \(elapsed) s")

        let kcat = try FraudStreamCLI.runProcess(
            URL(fileURLWithPath: KcatInteropTests.kcat),
            ["-b", cluster.bootstrapServers, "-C", "-t", "tx", "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"], timeout: 60)
        #expect(kcat.status == 0, "kcat: \(kcat.stderr)")
        let output = kcat.stdout
        let lines = output.split(separator: "\n")
        #expect(lines.count == 600)
        var times: [Int64] = []
        for line in lines {
            let parts = line.split(separator: "\t", maxSplits: 1)
            #expect(parts.count == 2)
            guard parts.count == 2 else { continue }
            let transaction = try TransactionDecoder().decode(String(parts[1]))
            #expect(transaction.cardID == String(parts[0]), "keyed by card")
            times.append(transaction.timestamp)
        }
        #expect(Set(lines).count == 600)
        #expect(times.min() ?? 0 >= (try RFC3339.parse("2026-04-01T00:00:00Z")))
    }

    @Test func generateNamesAMissingTopicAndMisusedFlags() throws {
        let cluster = try EmbeddedKafkaCluster(topics: ["tx": 1])
        defer { cluster.shutdown() }
        let missing = try FraudStreamCLI.run([
            "generate", "--bootstrap", cluster.bootstrapServers, "--topic", "tx", "--labels-topic", "no-such-topic",
            "--limit", "10",
        ])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no-such-topic"), "stderr: \(missing.stderr)")
        let rateWithoutKafka = try FraudStreamCLI.run(["generate", "--rate", "100"])
        #expect(rateWithoutKafka.status != 0)
        #expect(rateWithoutKafka.stderr.contains("--rate needs --bootstrap"), "stderr: \(rateWithoutKafka.stderr)")
    }
}
