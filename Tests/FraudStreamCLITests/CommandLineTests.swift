import Foundation
import Testing

/// The command line as a new user meets it: help, wrong flags, missing files, and the
/// generate → evaluate path through the real binary.
@Suite struct CommandLineTests {
    static let commands: [[String]] = [
        ["demo"], ["run"], ["broker"], ["roundtrip"], ["generate"], ["evaluate"], ["bench"], ["bench", "kafka"],
        ["bench", "engine"], ["bench", "e2e"], ["checkpoint"], ["checkpoint", "list"], ["checkpoint", "inspect"],
        ["replay"], ["audit"],
    ]

    @Test func rootHelpListsEveryCommand() throws {
        let result = try FraudStreamCLI.run(["--help"])
        #expect(result.status == 0)
        for command in ["demo", "run", "broker", "roundtrip", "generate", "evaluate", "bench"] {
            #expect(result.stdout.contains("  \(command) "), "root help does not list \(command)")
        }
    }

    @Test(arguments: commands) func everyCommandHasUsefulHelp(command: [String]) throws {
        let result = try FraudStreamCLI.run(command + ["--help"])
        #expect(result.status == 0, "\(command) --help failed: \(result.stderr)")
        #expect(result.stdout.contains("OVERVIEW:"))
        #expect(result.stdout.contains("USAGE: fraudstream \(command.joined(separator: " "))"))
        // More than a one-line abstract: options or subcommands are described.
        #expect(result.stdout.split(separator: "\n").count >= 6, "\(command) help is too thin:\n\(result.stdout)")
    }

    @Test func unknownCommandAndFlagAreNamed() throws {
        let command = try FraudStreamCLI.run(["frobnicate"])
        #expect(command.status != 0)
        #expect(command.stderr.contains("frobnicate"))
        let flag = try FraudStreamCLI.run(["generate", "--no-such-flag"])
        #expect(flag.status != 0)
        #expect(flag.stderr.contains("--no-such-flag"))
    }

    /// ArgumentParser would report the missing history (or a failed `validate()`) first; the
    /// typo is what the user needs to see.
    @Test func unknownFlagIsNamedBeforeWhatIsMissing() throws {
        for (arguments, command) in [
            (["replay", "--bogus"], "fraudstream replay"),
            (["bench", "engine", "--runs", "1", "--nope"], "fraudstream bench engine"),
            (["evaluate", "--transactions=t.ndjson", "--bogus=1"], "fraudstream evaluate"),
        ] {
            let result = try FraudStreamCLI.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            let unknown = arguments.last!.split(separator: "=")[0]
            #expect(result.stderr.contains("Unknown option '\(unknown)' for '\(command)'"), "\(arguments): \(result.stderr)")
        }
        // Known options, values after valued options and inverted flags are not taken for typos.
        let known = try FraudStreamCLI.run(["replay", "--transactions", "/nonexistent", "--out=-", "--timeout", "5", "--quiet"])
        #expect(known.status != 0)
        #expect(known.stderr.contains("/nonexistent: cannot open"), "\(known.stderr)")
        #expect(!known.stderr.contains("Unknown option"))
    }

    @Test func kafkaPropertiesAreCheckedAndNamed() throws {
        let malformed = try FraudStreamCLI.run(["roundtrip", "-X", "oops"])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("-X oops"), "stderr: \(malformed.stderr)")
        let unknown = try FraudStreamCLI.run(["roundtrip", "--messages", "10", "-X", "no.such.property=1"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no.such.property"), "stderr: \(unknown.stderr)")
    }

    /// A produce/consume round trip through the embedded broker.
    @Test func roundTripOnTheEmbeddedBrokerConsumesWhatItProduced() throws {
        let result = try FraudStreamCLI.run(["roundtrip", "--messages", "2000", "--partitions", "4"], timeout: 180)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("2000 delivered, 0 failed"), "stdout: \(result.stdout)")
        #expect(result.stdout.contains("consumed 2000 messages"), "stdout: \(result.stdout)")
        let partitionLines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  partition ") }
        #expect(partitionLines.count == 4)
    }

    @Test func runNamesWhatIsMissingOrWrongInItsConfiguration() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let noBootstrap = try FraudStreamCLI.run(["run"])
        #expect(noBootstrap.status != 0)
        #expect(noBootstrap.stderr.contains("--bootstrap"), "stderr: \(noBootstrap.stderr)")

        let config = directory.appendingPathComponent("bad.yaml")
        try Data("bootstrap: 127.0.0.1:9092\nbogus_key: 3\n".utf8).write(to: config)
        let badKey = try FraudStreamCLI.run(["run", "--config", config.path])
        #expect(badKey.status != 0)
        #expect(badKey.stderr.contains("\(config.path):2"), "stderr: \(badKey.stderr)")
        #expect(badKey.stderr.contains("bogus_key"))

        let rules = directory.appendingPathComponent("rules.yaml")
        try Data("version: \"1\"\nthresholds:\n  alert: high\n".utf8).write(to: rules)
        let badRules = try FraudStreamCLI.run(["run", "--bootstrap", "127.0.0.1:1", "--rules-file", rules.path])
        #expect(badRules.status != 0)
        #expect(badRules.stderr.contains("\(rules.path):3"), "stderr: \(badRules.stderr)")
        #expect(badRules.stderr.contains("thresholds.alert"), "stderr: \(badRules.stderr)")
    }

    @Test func generateRejectsImpossibleParametersNamingTheFlag() throws {
        let result = try FraudStreamCLI.run(["generate", "--days", "0", "--out", "/tmp/unused-fraudstream"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("days"), "stderr: \(result.stderr)")
    }

    @Test func evaluateNamesAMissingFile() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missingLabels = try FraudStreamCLI.run([
            "evaluate", "--transactions", "/nonexistent/transactions.ndjson", "--labels", "/nonexistent/labels.ndjson",
        ])
        #expect(missingLabels.status != 0)
        #expect(missingLabels.stderr.contains("/nonexistent/"), "stderr: \(missingLabels.stderr)")

        let labels = directory.appendingPathComponent("labels.ndjson")
        try Data().write(to: labels)
        let missingTransactions = try FraudStreamCLI.run([
            "evaluate", "--transactions", "/nonexistent/transactions.ndjson", "--labels", labels.path,
        ])
        #expect(missingTransactions.status != 0)
        #expect(
            missingTransactions.stderr.contains("/nonexistent/transactions.ndjson"),
            "stderr: \(missingTransactions.stderr)")
    }

    @Test func generateThenEvaluateThroughTheBinary() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let generate = try FraudStreamCLI.run([
            "generate", "--customers", "300", "--terminals", "600", "--days", "40", "--seed", "7",
            "--out", directory.path,
        ])
        #expect(generate.status == 0, "generate failed: \(generate.stderr)")
        let transactions = directory.appendingPathComponent("transactions.ndjson")
        let labels = directory.appendingPathComponent("labels.ndjson")
        let lines = try String(contentsOf: transactions, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 5_000)

        let decisions = directory.appendingPathComponent("decisions.ndjson")
        let evaluate = try FraudStreamCLI.run([
            "evaluate", "--transactions", transactions.path, "--labels", labels.path,
            "--burn-in-days", "10", "--decisions-out", decisions.path,
        ])
        #expect(evaluate.status == 0, "evaluate failed: \(evaluate.stderr)")
        let report = evaluate.stdout + evaluate.stderr
        #expect(report.contains("ROC AUC"))
        #expect(report.contains("avg precision"))
        #expect(report.contains("card prec@100"))
        // One decision per transaction, each with the documented fields.
        let decisionLines = try String(contentsOf: decisions, encoding: .utf8).split(separator: "\n")
        #expect(decisionLines.count == lines.count)
        let first = try JSONSerialization.jsonObject(with: Data(decisionLines[0].utf8)) as? [String: Any]
        for key in ["transaction_id", "score", "alert", "reasons"] {
            #expect(first?[key] != nil, "decision lacks \(key)")
        }
    }
}
