import Foundation
import Testing

/// `fraudstream demo` through the real binary: embedded broker, simulator, live processor and
/// console, for a bounded `--duration`, then a clean stop and a summary.
@Suite(.serialized) struct DemoCommandTests {
    /// The first integer captured by `pattern` in `text`.
    static func number(_ pattern: Regex<(Substring, Substring)>, in text: String) -> Int? {
        text.firstMatch(of: pattern).flatMap { Int($0.1) }
    }

    @Test func demoRunsForItsDurationDrainsAndExitsCleanly() throws {
        let result = try FraudStreamCLI.run(
            ["demo", "--duration", "8", "--rate", "1000", "--customers", "300", "--terminals", "600", "--days", "30",
             "--interval", "2"],
            timeout: 120)
        let output = "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)"
        #expect(result.status == 0, "\(output)")
        #expect(result.stdout.contains("embedded broker at 127.0.0.1:"), "\(output)")
        // Consumer-only properties go to the consumer only: librdkafka warns about any
        // property given to a client it does not apply to.
        #expect(!result.stderr.contains("CONFWARN"), "\(output)")

        let lines = result.stdout.split(separator: "\n").map(String.init)
        let console = lines.filter { $0.hasPrefix("[") }
        #expect(!console.isEmpty, "no console line: \(output)")
        for line in console { #expect(line.contains(" sent ") && line.contains(" scored "), "console line: \(line)") }

        // The summary comes after the console lines, and the demo drained its input first.
        let summaryIndex = try #require(lines.firstIndex(of: "summary:"), "no summary: \(output)")
        #expect(lines.lastIndex { $0.hasPrefix("[") }.map { $0 < summaryIndex } ?? false)
        let summary = lines[summaryIndex...].joined(separator: "\n")
        let sent = try #require(Self.number(#/sent\s+(\d+) transactions/#, in: summary), "summary: \(summary)")
        let scored = try #require(Self.number(#/processed\s+(\d+) scored/#, in: summary), "summary: \(summary)")
        #expect(scored > 0, "summary: \(summary)")
        #expect(scored == sent, "summary: \(summary)")
    }

    @Test func aRateOfZeroIsRejectedNamingTheFlag() throws {
        let result = try FraudStreamCLI.run(["demo", "--rate", "0", "--duration", "1"], timeout: 60)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--rate"), "stderr: \(result.stderr)")
        #expect(!result.stdout.contains("embedded broker at"), "started anyway: \(result.stdout)")
    }
}
