import FraudEngine
import Foundation
import RdKafka
import Testing

/// `replay` and `audit` against topics through the binary: a history written to the
/// embedded broker by `generate --bootstrap` is replayed into a non-live topic and into a
/// file (the same decisions), a window of message time selects a part of it, and `audit` re-derives a
/// decision from the replay's topic by reading the inputs back from Kafka.
@Suite(.serialized) struct ReplayFromKafkaTests {
    @Test func replayTopicsToATopicAndAFileThenAuditFromTheTopic() throws {
        let cluster = try EmbeddedKafkaCluster(
            topics: ["transactions": 3, "labels": 1, "alerts": 1, "decisions": 1, "dead-letter": 1, "replayed": 2])
        defer { cluster.shutdown() }
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let b = cluster.bootstrapServers
        let generated = try FraudStreamCLI.run([
            "generate", "--bootstrap", b, "--limit", "3000", "--customers", "200", "--terminals", "400", "--days", "40",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")

        let file = directory.path + "/replayed.ndjson"
        let toFile = try FraudStreamCLI.run(["replay", "--bootstrap", b, "--out", file, "--quiet"])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3000, "\(toFile.stderr)")
        let toTopic = try FraudStreamCLI.run(["replay", "--bootstrap", b, "--out-topic", "replayed", "--quiet"])
        #expect(toTopic.status == 0, "\(toTopic.stderr)")
        #expect(toTopic.stderr.contains("3000 decisions"), "\(toTopic.stderr)")

        // The two replays decided the same (run and processed_at aside).
        func scores(_ lines: [Substring]) throws -> [String: String] {
            var result: [String: String] = [:]
            for line in lines {
                let id = try #require(line.firstMatch(of: #/"transaction_id":"([^"]+)"/#)).1
                let score = try #require(line.firstMatch(of: #/"score":([0-9.eE+-]+)/#)).1
                result[String(id)] = String(score)
            }
            return result
        }
        let kcat = try FraudStreamCLI.runProcess(
            URL(fileURLWithPath: KcatInteropTests.kcat),
            ["-b", b, "-C", "-t", "replayed", "-o", "beginning", "-e", "-q"], timeout: 60)
        #expect(kcat.status == 0, "kcat: \(kcat.stderr)")
        let topicLines = kcat.stdout.split(separator: "\n")
        #expect(topicLines.count == 3000)
        #expect(try scores(topicLines) == (try scores(lines)))

        // A window of message time (offsets-for-times): the transactions produced from the
        // median timestamp on.
        let stamps = try FraudStreamCLI.runProcess(
            URL(fileURLWithPath: KcatInteropTests.kcat),
            ["-b", b, "-C", "-t", "transactions", "-o", "beginning", "-e", "-q", "-f", "%T\n"], timeout: 60)
        let times = stamps.stdout.split(separator: "\n").compactMap { Int64($0) }.sorted()
        #expect(times.count == 3000)
        let median = times[times.count / 2]
        let expected = times.filter { $0 >= median }.count
        let window = try FraudStreamCLI.run([
            "replay", "--bootstrap", b, "--from", String(median), "--to", "end",
            "--out", directory.path + "/window.ndjson", "--quiet",
        ])
        #expect(window.status == 0, "\(window.stderr)")
        let part = try String(contentsOfFile: directory.path + "/window.ndjson", encoding: .utf8).split(separator: "\n")
        #expect(part.count == expected && expected < 3000, "\(part.count) decisions, \(expected) expected")

        // Audit one decision of the replay from its topic, inputs read back from Kafka.
        let target = try #require(topicLines.dropFirst(2000).first)
        let id = String(try #require(target.firstMatch(of: #/"transaction_id":"([^"]+)"/#)).1)
        let audit = try FraudStreamCLI.run(["audit", "--decisions-topic", "replayed", "--bootstrap", b, "--transaction", id])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("reproduced exactly"), "\(audit.stdout)")

        // Bad bounds are named.
        let bad = try FraudStreamCLI.run(["replay", "--bootstrap", b, "--from", "yesterday", "--out", file])
        #expect(bad.status != 0 && bad.stderr.contains("--from yesterday"), "\(bad.stderr)")
    }
}
