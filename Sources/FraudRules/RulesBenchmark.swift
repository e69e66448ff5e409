import FraudEngine

/// Measures ``RuleSet/evaluate(transaction:decision:)`` on a realistic rule set: five
/// segments, four explicit rules (amount, watch list, reason code, anomaly), block lists of
/// 10,000 cards and 1,000 merchants, an allow list, and 4,096 varied transactions
/// (channels, countries, MCCs, amounts, scores; about 1% of cards listed) evaluated in turn.
public enum RulesBenchmark {
    /// The rule set measured.
    public static func ruleSet() -> RuleSet {
        var file = RulesFile(
            version: "bench-1", thresholds: ScoreThresholds(review: 0.5, alert: 0.7, block: 0.95),
            segments: [
                Segment(id: "atm", match: RuleConditions(channel: ["atm"]), thresholds: ScoreThresholds(review: 0.4, alert: 0.6, block: 0.9)),
                Segment(id: "ecommerce_high_amount",
                        match: RuleConditions(channel: ["ecommerce"], currency: ["EUR"], amount: AmountRange(min: Money(whole: 220))),
                        thresholds: ScoreThresholds(review: 0.35, alert: 0.55, block: 0.9)),
                Segment(id: "ecommerce", match: RuleConditions(channel: ["ecommerce"]), thresholds: ScoreThresholds(review: 0.45, alert: 0.65)),
                Segment(id: "risky_mcc", match: RuleConditions(mcc: [MCCRange(4829), MCCRange(6051), MCCRange(5815, 5818)]),
                        thresholds: ScoreThresholds(review: 0.3, alert: 0.5)),
                Segment(id: "small_card_present",
                        match: RuleConditions(channel: ["card_present"], currency: ["EUR"], amount: AmountRange(max: Money(whole: 5))),
                        thresholds: ScoreThresholds(review: .off, alert: .atLeast(0.8), block: nil)),
            ],
            rules: [
                Rule(id: "amount_ceiling_review", action: .review, when: RuleConditions(currency: ["EUR"], amount: AmountRange(min: Money(whole: 10_000)))),
                Rule(id: "watch_cards_review", action: .review, when: RuleConditions(cardIn: "watch_cards")),
                Rule(id: "reported_card_alert", action: .alert,
                     when: RuleConditions(scoreAtLeast: 0.3, reasonCode: ["card_recent_fraud_report", "card_fraud_reports_30d"])),
                Rule(id: "atm_anomaly_block", action: .block, when: RuleConditions(channel: ["atm"], scoreAtLeast: 0.6, anomalyAtLeast: 0.9)),
            ])
        file.lists = [
            IDList(name: IDList.blockCards, ids: (0..<10_000).map { "card-\($0 * 97)" }),
            IDList(name: IDList.blockMerchants, ids: (0..<1_000).map { "merchant-\($0 * 89)" }),
            IDList(name: IDList.allowCards, ids: (0..<100).map { "card-\($0 * 97 + 1)" }),
            IDList(name: "watch_cards", ids: (0..<500).map { "card-\($0 * 97 + 2)" }),
        ]
        do {
            return try RuleSet(file, fileName: "<benchmark>")
        } catch {
            preconditionFailure("the benchmark rule set is invalid: \(error)")
        }
    }

    /// 4,096 transactions with their decisions, deterministic.
    public static func workload() -> [(Transaction, Decision)] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        let channels = ["card_present", "card_present", "card_present", "card_present", "ecommerce", "atm", "contactless"]
        let countries = ["BE", "BE", "BE", "NL", "FR", "DE", "US"]
        let mccs = [5411, 5812, 5814, 5541, 5732, 5999, 6011, 4829, 5816]
        let reasons = ["amount_vs_card_mean_30d", "terminal_fraud_rate_28d", "card_recent_fraud_report", "hour_of_day", "hst_anomaly"]
        let eur = CurrencyCode("EUR")!  // a known code
        return (0..<4_096).map { index in
            let card = "card-\(Int(next() % 1_000_000))"
            let merchant = "merchant-\(Int(next() % 100_000))"
            let amount = Money(units: Int64(1 + next() % 3_000_000_000 / (1 + next() % 1_000)))
            let transaction = Transaction(
                transactionID: "tx-\(index)", cardID: card, merchantID: merchant, amount: amount, currency: eur,
                timestamp: 1_700_000_000_000 + Int64(index) * 1_000, mcc: mccs[Int(next() % UInt64(mccs.count))],
                country: countries[Int(next() % UInt64(countries.count))], channel: channels[Int(next() % UInt64(channels.count))])
            let score = uniform()
            let decision = Decision(
                transactionID: transaction.transactionID, cardID: card, eventTime: transaction.timestamp, score: score,
                modelProbability: score, anomaly: uniform(),
                reasons: (0..<3).map { _ in ReasonCode(code: reasons[Int(next() % UInt64(reasons.count))], contribution: uniform()) },
                stateVersion: UInt64(index))
            return (transaction, decision)
        }
    }

    /// Evaluates `count` transactions (cycling through ``workload()``) and returns
    /// evaluations per second (wall clock, one thread). Setup is not timed.
    public static func run(count: Int) -> Double {
        let rules = ruleSet()
        let work = workload()
        let transactions = work.map(\.0)
        let decisions = work.map(\.1)
        var sink = 0
        let clock = ContinuousClock()
        let start = clock.now
        var index = 0
        for _ in 0..<count {
            let outcome = rules.evaluate(transaction: transactions[index], decision: decisions[index])
            sink &+= outcome.ruleIDs.count &+ (outcome.action?.severity ?? 0)
            index = index == work.count - 1 ? 0 : index + 1
        }
        let elapsed = clock.now - start
        blackHole(sink)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(count) / seconds : .infinity
    }

    @inline(never)
    static func blackHole(_ value: Int) {
        if value == Int.min { print(value) }
    }
}
