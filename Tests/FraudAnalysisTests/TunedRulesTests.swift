import FraudEngine
import FraudRules
import Foundation
import Testing

@testable import FraudAnalysis

@Suite struct TunedRulesTests {
    let base: RuleSet

    init() throws {
        base = try RuleSet.load(contentsOf: AnalysisTestSupport.defaultRulesPath)
    }

    /// Writes the rules as `tune --write-rules` does and loads them with the live
    /// processor's loader (schema validation included).
    func writeAndLoad(_ writer: TunedRules, _ rules: RuleSet) throws -> RuleSet {
        let path = try AnalysisTestSupport.temporaryDirectory().appendingPathComponent("tuned.yaml").path
        try writer.yaml(rules, header: "test header\nsecond line").write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try RuleSet.load(contentsOf: path)
        #expect(loaded == rules)
        return loaded
    }

    static let channels: [String?] = ["atm", "ecommerce", "card_present", nil]

    /// Transactions across channels, currencies and amounts (below the 10,000 EUR review
    /// rule), scored on a grid, with no reasons (so no explicit rule applies).
    static func cases() -> [(Transaction, Decision)] {
        var cases: [(Transaction, Decision)] = []
        var n = 0
        for channel in channels {
            for currency in ["EUR", "USD"] {
                for amount in ["3", "150", "500", "2500"] {
                    for step in 0...20 {
                        n += 1
                        let id = "tx-\(n)"
                        let transaction = Transaction(
                            transactionID: id, cardID: "card-1", merchantID: "m-1", amount: Money(amount)!,
                            currency: CurrencyCode(currency)!, timestamp: 1_775_001_600_000, country: "BE", channel: channel)
                        let decision = Decision(
                            transactionID: id, cardID: "card-1", eventTime: 1_775_001_600_000, score: Double(step) / 20,
                            modelProbability: 0.5, anomaly: 0.5, reasons: [], stateVersion: 1)
                        cases.append((transaction, decision))
                    }
                }
            }
        }
        return cases
    }

    @Test func oneThresholdLoadsAndFlagsExactlyFromIt() throws {
        let writer = TunedRules(base: base, action: .review)
        let tuned = try writeAndLoad(writer, try writer.rules(threshold: 0.62))
        #expect(tuned.version.hasPrefix(base.version + "+tune."))
        #expect(tuned.version != base.version)
        #expect(tuned.file.rules == base.file.rules)
        #expect(tuned.file.lists.map(\.name) == base.file.lists.map(\.name))
        for (transaction, decision) in Self.cases() {
            let action = tuned.evaluate(transaction: transaction, decision: decision).action
            #expect((action != nil) == (decision.score >= 0.62), "\(transaction.channel ?? "-") \(transaction.amount) score \(decision.score)")
            // A block the base rules give above the tuned threshold is kept.
            if base.evaluate(transaction: transaction, decision: decision).action == .block && decision.score >= 0.62 {
                #expect(action == .block)
            }
        }
        // The version changes with the thresholds and can be given.
        #expect(try writer.rules(threshold: 0.7).version != tuned.version)
        #expect(try writer.rules(threshold: 0.62, version: "2026-06-01.1").version == "2026-06-01.1")
    }

    @Test func segmentThresholdsLoadAndFlagPerChannel() throws {
        let thresholds: [(value: String, threshold: Double)] = [
            ("card_present", 0.5), ("ecommerce", 0.8), ("atm", 0.3), (SegmentDimension.noValue, 0.6),
        ]
        let byChannel = Dictionary(uniqueKeysWithValues: thresholds.map { ($0.value, $0.threshold) })
        let writer = TunedRules(base: base, action: .review)
        let tuned = try writeAndLoad(writer, try writer.rules(dimension: .channel, thresholds: thresholds, version: "tuned-1"))
        #expect(tuned.version == "tuned-1")
        // Segments matching one channel keep their ids; high_amount (any channel) is split
        // for card_present, the only tuned channel no earlier segment covers entirely; the
        // segments of atm and ecommerce already catch all of theirs.
        #expect(tuned.file.segments.map(\.id) == [
            "atm", "ecommerce_high_amount", "ecommerce", "high_amount.card_present", "high_amount", "small_card_present",
            "tuned_channel_card_present",
        ])
        for (transaction, decision) in Self.cases() {
            // Base segments without a channel condition (high_amount: EUR >= 1000) still
            // decide for transactions without a channel: not tuned by design.
            if transaction.channel == nil && transaction.currency.description == "EUR" && transaction.amount >= Money("1000")! { continue }
            let threshold = byChannel[transaction.channel ?? SegmentDimension.noValue]!
            let action = tuned.evaluate(transaction: transaction, decision: decision).action
            #expect((action != nil) == (decision.score >= threshold), "\(transaction.channel ?? "-") \(transaction.currency) \(transaction.amount) score \(decision.score)")
            if base.evaluate(transaction: transaction, decision: decision).action == .block && decision.score >= threshold {
                #expect(action == .block)
            }
        }
    }

    @Test func tuningAlertKeepsOrderWithTheOtherActions() throws {
        let writer = TunedRules(base: base, action: .alert)
        let tuned = try writer.rules(threshold: 0.3)
        // Review 0.5 above the new alert 0.3 could never apply: lowered to 0.3. Block stays.
        #expect(tuned.file.thresholds == ScoreThresholds(review: 0.3, alert: 0.3, block: 0.95))
        let high = try writer.rules(threshold: 0.97)
        #expect(high.file.thresholds == ScoreThresholds(review: 0.5, alert: 0.97, block: 0.97))
    }

    @Test func worksFromTheBuiltInRules() throws {
        let writer = TunedRules(base: .builtIn)
        let tuned = try writeAndLoad(writer, try writer.rules(dimension: .country, thresholds: [("BE", 0.4), ("FR", 0.75)]))
        #expect(tuned.file.segments.map(\.id) == ["tuned_country_BE", "tuned_country_FR"])
        #expect(tuned.file.thresholds == RuleSet.builtIn.file.thresholds)
    }

    @Test func valuesTheSchemaRejectsAreReported() {
        let writer = TunedRules(base: base)
        #expect {
            try writer.rules(dimension: .channel, thresholds: [("Card Present", 0.5)])
        } throws: { error in
            let message = (error as? AnalysisError)?.message ?? ""
            return message.hasPrefix("the tuned rules do not validate:") && message.contains("channel")
        }
    }
}
