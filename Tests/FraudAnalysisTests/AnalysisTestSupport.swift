import FraudEngine
import Foundation
import FraudRules

@testable import FraudAnalysis

/// Paths, fixtures and file helpers shared by the FraudAnalysis tests.
enum AnalysisTestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FraudAnalysisTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    static let defaultRulesPath = repositoryRoot.appendingPathComponent("rules/default.yaml").path

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fraudanalysis-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes lines to `name` in a fresh directory and returns the path.
    static func write(_ lines: [String], named name: String = "input.ndjson") throws -> String {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8).write(to: url)
        return url.path
    }

    /// Epoch milliseconds of `2026-04-01T00:00Z` plus `day` days and `hour` hours.
    static func time(day: Int, hour: Int = 12) -> EpochMillis {
        1_775_001_600_000 + EpochMillis(day) * 86_400_000 + EpochMillis(hour) * 3_600_000
    }

    /// A decision record line of the live processor's format.
    static func recordLine(
        id: String, card: String = "card-1", time: EpochMillis, score: Double, action: RuleAction?,
        amount: String? = "10.00", channel: String? = "ecommerce", country: String? = "BE"
    ) -> String {
        let actionText = action.map { "\"\($0.rawValue)\"" } ?? "null"
        let amountText = amount.map { ",\"amount\":\($0),\"currency\":\"EUR\"" } ?? ""
        let channelText = channel.map { "\"\($0)\"" } ?? "null"
        let countryText = country.map { "\"\($0)\"" } ?? "null"
        return """
            {"transaction_id":"\(id)","card_id":"\(card)","event_time":"\(RFC3339.format(time))"\(amountText),"channel":\(channelText),"country":\(countryText),"source":{"topic":"transactions","partition":0,"offset":1},"run":"r1","state_version":7,"labels_before":[],"model_version":"m","rules_version":"v1","score":\(score),"components":{"model_probability":0.5,"anomaly":0.1},"action":\(actionText),"alert_id":\(action == nil ? "null" : "\"a-\(id)\""),"rule_ids":[],"reasons":[{"code":"night","contribution":0.5}],"processed_at":"2026-05-01T00:00:00.000Z"}
            """
    }

    /// A deterministic pseudo-random generator for fixtures.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Random records over a few days and cards, scores on a coarse grid (many ties), and
    /// the fraud ids.
    static func randomRecords(seed: UInt64, count: Int, withAmounts: Bool = true) -> (records: [AnalysedDecision], frauds: Set<String>) {
        var random = Generator(state: seed)
        var records: [AnalysedDecision] = []
        var frauds = Set<String>()
        let channels: [String?] = ["atm", "ecommerce", "card_present", nil]
        for index in 0..<count {
            let id = "tx-\(index)"
            let score = Double(random.below(21)) / 20
            let action: RuleAction? = score >= 0.5 ? RuleAction(severity: 1 + random.below(3)) : nil
            records.append(AnalysedDecision(
                transactionID: id, cardID: "card-\(random.below(7))", eventTime: time(day: random.below(4), hour: random.below(24)),
                score: score, action: action, amount: withAmounts ? Money(units: Int64(1 + random.below(50_000)) * 100) : nil,
                currency: "EUR", channel: channels[random.below(channels.count)], country: ["BE", "FR"][random.below(2)]))
            // Frauds are likelier at high scores.
            if random.below(100) < 5 + Int(score * 40) { frauds.insert(id) }
        }
        return (records, frauds)
    }

    /// Labels saying fraud for `frauds` (sorted, for a deterministic order).
    static func labels(_ frauds: Set<String>) -> FraudLabels {
        FraudLabels(frauds.sorted().map { Label(transactionID: $0, isFraud: true, reportedAt: time(day: 10)) })
    }
}
