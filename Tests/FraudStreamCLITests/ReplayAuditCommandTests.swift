import Foundation
import Testing

/// `replay` and `audit` through the real binary on a small generated history: a replay's
/// decisions audit clean, a tampered one fails with exit 1 and names the field, what-if
/// counts are printed, and bad arguments are named.
@Suite struct ReplayAuditCommandTests {
    @Test func replayThenAuditReproducesAndCatchesTampering() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.path
        let generated = try FraudStreamCLI.run([
            "generate", "--out", data, "--customers", "300", "--terminals", "600", "--days", "15", "--seed", "4",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let tx = data + "/transactions.ndjson"
        let labels = data + "/labels.ndjson"
        let decisions = data + "/decisions.ndjson"
        let replay = try FraudStreamCLI.run(["replay", "--transactions", tx, "--labels", labels, "--out", decisions, "--quiet"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("decisions ("))
        let lines = try String(contentsOfFile: decisions, encoding: .utf8).split(separator: "\n")
        let transactions = try String(contentsOfFile: tx, encoding: .utf8).split(separator: "\n").count
        #expect(lines.count == transactions)

        // One transaction, and a whole day: reproduced exactly.
        let target = try #require(lines.dropFirst(lines.count / 2).first { $0.contains(#""labels_before":[{"#) } ?? lines.last)
        let targetID = try #require(Self.field("transaction_id", in: String(target)))
        let one = try FraudStreamCLI.run(["audit", "--decisions", decisions, "--transaction", targetID])
        #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
        #expect(one.stdout.contains("reproduced exactly"))
        #expect(one.stdout.contains("1 decisions reproduced, 0 mismatches"))
        let day = try FraudStreamCLI.run([
            "audit", "--decisions", decisions, "--from", "2026-04-08T00:00:00.000Z", "--to", "2026-04-09T00:00:00.000Z",
            "--report", data + "/audit.html",
        ])
        #expect(day.status == 0, "\(day.stdout)\(day.stderr)")
        #expect(day.stdout.contains(" 0 mismatches"))
        let page = try String(contentsOfFile: data + "/audit.html", encoding: .utf8)
        #expect(page.contains("reproduced exactly, 0 mismatches"))

        // A tampered action on that day: exit 1, the field named, the report says so.
        var tampered = lines.map(String.init)
        let index = try #require(tampered.firstIndex { $0.contains(#""event_time":"2026-04-08T1"#) })
        let action = Self.field("action", in: tampered[index]) == nil ? "null" : "\"\(Self.field("action", in: tampered[index])!)\""
        tampered[index] = tampered[index].replacingOccurrences(
            of: #""action":\#(action)"#, with: action == "null" ? #""action":"block""# : #""action":null"#)
        try (tampered.joined(separator: "\n") + "\n").write(toFile: data + "/tampered.ndjson", atomically: true, encoding: .utf8)
        let caught = try FraudStreamCLI.run([
            "audit", "--decisions", data + "/tampered.ndjson", "--from", "2026-04-08T00:00:00.000Z", "--to",
            "2026-04-09T00:00:00.000Z", "--report", data + "/tampered.html",
        ])
        #expect(caught.status == 1)
        #expect(caught.stdout.contains("MISMATCH: action: recorded"), "\(caught.stdout)")
        #expect(caught.stdout.contains(" 1 mismatches"))
        #expect(try String(contentsOfFile: data + "/tampered.html", encoding: .utf8).contains("mismatch"))

        // What-if: another threshold against the recorded decisions.
        let whatIf = try FraudStreamCLI.run([
            "replay", "--transactions", tx, "--labels", labels, "--threshold", "0.2", "--compare-with", decisions, "--quiet",
        ])
        #expect(whatIf.status == 0, "\(whatIf.stderr)")
        #expect(whatIf.stdout.contains("added"))
        #expect(whatIf.stdout.contains("precision"))

        // Bad arguments are named.
        let unknownID = try FraudStreamCLI.run(["audit", "--decisions", decisions, "--transaction", "tx-nope"])
        #expect(unknownID.status != 0 && unknownID.stderr.contains("tx-nope is not in the decision log"), "\(unknownID.stderr)")
        let reversed = try FraudStreamCLI.run([
            "audit", "--decisions", decisions, "--from", "2026-04-09T00:00:00.000Z", "--to", "2026-04-08T00:00:00.000Z",
        ])
        #expect(reversed.status != 0 && reversed.stderr.contains("reversed"), "\(reversed.stderr)")
        let noCheckpoint = try FraudStreamCLI.run([
            "replay", "--transactions", tx, "--checkpoint-dir", data, "--checkpoint-sequence", "7", "--out", data + "/x.ndjson",
        ])
        #expect(noCheckpoint.status != 0 && noCheckpoint.stderr.contains("no checkpoint 7 in"), "\(noCheckpoint.stderr)")
        let missingLabels = try FraudStreamCLI.run([
            "replay", "--transactions", tx, "--labels", data + "/missing.ndjson", "--out", data + "/x.ndjson",
        ])
        #expect(missingLabels.status != 0 && missingLabels.stderr.contains("missing.ndjson"), "\(missingLabels.stderr)")
        let noLabelsForWhatIf = try FraudStreamCLI.run(["replay", "--transactions", tx, "--compare-with", decisions])
        #expect(noLabelsForWhatIf.status != 0 && noLabelsForWhatIf.stderr.contains("needs labels"), "\(noLabelsForWhatIf.stderr)")
        let liveTopic = try FraudStreamCLI.run(["replay", "--bootstrap", "127.0.0.1:1", "--out-topic", "alerts"])
        #expect(liveTopic.status != 0 && liveTopic.stderr.contains("is a live topic"), "\(liveTopic.stderr)")
    }

    /// The string value of a top-level field of a JSON line (nil for null or absent).
    private static func field(_ name: String, in line: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object[name] as? String
    }
}
