import Foundation
import Testing

/// `fraudstream tune` and `fraudstream compare` on small decision logs, as a user runs them.
@Suite struct TuneCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FraudStreamCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// Decisions over two days: ten per channel, scores 0.05 to 0.95, the top three of each
    /// channel frauds.
    static func write(in directory: URL) throws -> (decisions: String, labels: String, replayed: String) {
        var decisions: [String] = []
        var replayed: [String] = []
        var labels: [String] = []
        for (c, channel) in ["atm", "ecommerce"].enumerated() {
            for i in 0..<10 {
                let id = "tx-\(c)-\(i)"
                let score = 0.05 + Double(i) / 10
                let day = i % 2 + 1
                let action = score >= 0.5 ? "\"review\"" : "null"
                let line = #"{"transaction_id":"\#(id)","card_id":"card-\#(i)","event_time":"2026-04-0\#(day)T12:00:00.000Z","amount":\#(10 + i),"currency":"EUR","channel":"\#(channel)","country":"BE","score":\#(score),"action":\#(action)}"#
                decisions.append(line)
                replayed.append(line.replacingOccurrences(of: #""action":\#(action)"#, with: score >= 0.7 ? #""action":"alert""# : #""action":null"#))
                if i >= 7 { labels.append(#"{"transaction_id":"\#(id)","is_fraud":true,"reported_at":"2026-04-20T00:00:00.000Z"}"#) }
            }
        }
        func save(_ lines: [String], _ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
            return url.path
        }
        return (try save(decisions, "decisions.ndjson"), try save(labels, "labels.ndjson"), try save(replayed, "replayed.ndjson"))
    }

    @Test func tuneWritesTableReportAndRules() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.write(in: directory)
        let report = directory.appendingPathComponent("tune.html").path
        let rules = directory.appendingPathComponent("tuned.yaml").path
        let run = try FraudStreamCLI.run([
            "tune", "--decisions", files.decisions, "--labels", files.labels, "--alerts-per-day", "3", "--by", "channel",
            "--report", report, "--write-rules", rules, "--rules", Self.repositoryRoot.appendingPathComponent("rules/default.yaml").path,
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // 3 per day over 2 days: 6 alerts, 3 frauds per channel at the top: 0.651 in each.
        #expect(run.stdout.contains("channel atm: 10 transactions, 3 frauds"))
        #expect(run.stdout.contains("0.651 *"), "\(run.stdout)")
        #expect(run.stdout.contains("per-channel thresholds together: 3.0 alerts per day, precision 1.000, recall 1.000"))
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<svg") && !html.contains("<script"))
        let yaml = try String(contentsOfFile: rules, encoding: .utf8)
        #expect(yaml.contains("version: \"default-2026-05-01.1+tune."))
        #expect(yaml.contains("review: 0.651"))
    }

    /// `{labels}` stands for a labels file whose only fraud is the lowest score of atm.
    @Test(arguments: [
        (["--labels", "/nonexistent/labels.ndjson"], "labels file /nonexistent/labels.ndjson: cannot open"),
        (["--labels", "{labels}", "--alerts-per-day", "0"], "--alerts-per-day must be a number > 0"),
        (["--labels", "{labels}", "--target-precision", "0.99", "--by", "channel"], "target precision 0.99 is never reached"),
        (["--labels", "{labels}", "--by", "merchant"], "unknown --by 'merchant'"),
    ])
    func tuneRejectsBadArguments(extra: [String], expected: String) throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.write(in: directory)
        let labels = directory.appendingPathComponent("labels-low.ndjson")
        try Data(#"{"transaction_id":"tx-0-0","is_fraud":true}"#.utf8).write(to: labels)
        let run = try FraudStreamCLI.run(["tune", "--decisions", files.decisions] + extra.map { $0 == "{labels}" ? labels.path : $0 })
        #expect(run.status != 0)
        #expect(run.stderr.hasPrefix("Error: tune: ") && run.stderr.contains(expected), "stderr: \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
    }

    @Test func tuneRejectsEmptyDecisions() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.write(in: directory)
        let empty = directory.appendingPathComponent("empty.ndjson")
        try Data().write(to: empty)
        let run = try FraudStreamCLI.run(["tune", "--decisions", empty.path, "--labels", files.labels])
        #expect(run.status != 0)
        #expect(run.stderr.contains("holds no decision records (empty)"), "stderr: \(run.stderr)")
    }

    @Test func compareCountsAddedAndRemovedAlerts() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.write(in: directory)
        let report = directory.appendingPathComponent("compare.html").path
        let run = try FraudStreamCLI.run([
            "compare", "--recorded", files.decisions, "--replayed", files.replayed, "--labels", files.labels, "--report", report,
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // Recorded: review from 0.5 (5 per channel); replayed: alert from 0.7 (3 per channel).
        #expect(run.stdout.contains("removed  4 (0 frauds)"), "\(run.stdout)")
        #expect(run.stdout.contains("changed  6"))
        #expect(run.stdout.contains("added    0 (0 frauds)"))
        #expect(FileManager.default.fileExists(atPath: report))
    }
}
