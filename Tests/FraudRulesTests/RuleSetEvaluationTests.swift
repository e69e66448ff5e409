import FraudEngine
import Testing
@testable import FraudRules

@Suite struct RuleSetEvaluationTests {
    typealias T = TestSupport

    static let rules: RuleSet = {
        do {
            return try RuleSet(yaml: """
                version: "eval-1"
                thresholds: {review: 0.5, alert: 0.7, block: 0.95}
                segments:
                  - id: web_large
                    match: {channel: [ecommerce], currency: [EUR], amount: {min: 220}}
                    thresholds: {review: 0.35, alert: 0.55, block: 0.9}
                  - id: web
                    match: {channel: [ecommerce]}
                    thresholds: {review: 0.45, alert: 0.65}
                  - id: small
                    match: {channel: [card_present], amount: {max: 5}}
                    thresholds: {review: off, alert: 0.8}
                  - id: risky_mcc
                    match: {mcc: [4829, "5960-5969"]}
                    thresholds: {block: off}
                lists:
                  block_cards: [card-blocked]
                  block_merchants: [merchant-blocked]
                  allow_cards: [card-allowed]
                  allow_merchants: [merchant-allowed]
                  watch_cards: [card-watched]
                rules:
                  - id: ceiling
                    action: review
                    when: {currency: [EUR], amount: {min: 10000}}
                  - id: watched
                    action: review
                    when: {card_in: watch_cards}
                  - id: reported
                    action: alert
                    when: {score_at_least: 0.3, reason_code: [card_recent_fraud_report]}
                  - id: atm_anomaly
                    action: block
                    when: {channel: [atm], anomaly_at_least: 0.9, model_probability_at_least: 0.5}
                  - id: extreme_unless_allowed
                    action: alert
                    when: {score_at_least: 0.999, card_not_in: allow_cards}
                """)
        } catch {
            fatalError("\(error)")
        }
    }()

    func evaluate(_ transaction: Transaction, score: Double = 0, anomaly: Double = 0, reasons: [String] = []) -> RuleOutcome {
        Self.rules.evaluate(transaction: transaction, decision: T.decision(score: score, anomaly: anomaly, reasons: reasons))
    }

    // MARK: Thresholds

    @Test func scoreExactlyAtAThresholdTriggersIt() {
        let outcome = evaluate(T.transaction(), score: 0.7)
        #expect(outcome.action == .alert)
        #expect(outcome.ruleIDs == ["threshold:default:alert"])
        #expect(outcome.rulesVersion == "eval-1")
        #expect(outcome.segmentID == "default")
        #expect(evaluate(T.transaction(), score: 0.7.nextDown).action == .review)
        #expect(evaluate(T.transaction(), score: 0.5).action == .review)
        #expect(evaluate(T.transaction(), score: 0.5.nextDown).action == nil)
        #expect(evaluate(T.transaction(), score: 0.95).ruleIDs == ["threshold:default:block"])
        #expect(evaluate(T.transaction(), score: 1).action == .block)
    }

    @Test func nothingMatchedMeansNoActionAndNoIDs() {
        let outcome = evaluate(T.transaction(), score: 0.1)
        #expect(outcome == RuleOutcome(action: nil, ruleIDs: [], rulesVersion: "eval-1", segmentID: "default"))
    }

    @Test func firstMatchingSegmentWins() {
        // 300 EUR online matches both web_large and web: web_large comes first.
        let large = evaluate(T.transaction(amount: "300", channel: "ecommerce"), score: 0.56)
        #expect(large.segmentID == "web_large")
        #expect(large.ruleIDs == ["threshold:web_large:alert"])
        let small = evaluate(T.transaction(amount: "100", channel: "ecommerce"), score: 0.56)
        #expect(small.segmentID == "web")
        #expect(small.ruleIDs == ["threshold:web:review"])
    }

    @Test func unsetSegmentThresholdsInheritTheDefaults() {
        let outcome = evaluate(T.transaction(amount: "100", channel: "ecommerce"), score: 0.95)
        #expect(outcome.action == .block)
        #expect(outcome.ruleIDs == ["threshold:web:block"])
        #expect(evaluate(T.transaction(amount: "100", channel: "ecommerce"), score: 0.95.nextDown).action == .alert)
    }

    @Test func offSwitchesAnActionOff() {
        let small = T.transaction(amount: "4.99")
        #expect(evaluate(small, score: 0.79).action == nil)  // review off in this segment
        #expect(evaluate(small, score: 0.8).action == .alert)
        #expect(evaluate(small, score: 0.99).action == .block)  // block inherited
        let risky = T.transaction(mcc: 5962)
        #expect(evaluate(risky, score: 1).action == .alert)  // block off, alert inherited
        #expect(evaluate(risky, score: 1).segmentID == "risky_mcc")
    }

    // MARK: Exact amounts

    @Test func amountExactlyAtMinMatchesAndOneCentBelowDoesNot() {
        #expect(evaluate(T.transaction(amount: "220", channel: "ecommerce")).segmentID == "web_large")
        #expect(evaluate(T.transaction(amount: "220.00", channel: "ecommerce")).segmentID == "web_large")
        #expect(evaluate(T.transaction(amount: "219.99", channel: "ecommerce")).segmentID == "web")
        #expect(evaluate(T.transaction(amount: "219.9999", channel: "ecommerce")).segmentID == "web")
    }

    @Test func amountExactlyAtMaxMatchesAndJustAboveDoesNot() {
        #expect(evaluate(T.transaction(amount: "5")).segmentID == "small")
        #expect(evaluate(T.transaction(amount: "5.0001")).segmentID == "default")
        #expect(evaluate(T.transaction(amount: "5.01")).segmentID == "default")
    }

    @Test func currencyConditionsCompareCodes() {
        #expect(evaluate(T.transaction(amount: "300", currency: "USD", channel: "ecommerce")).segmentID == "web")
        #expect(evaluate(T.transaction(amount: "10000", currency: "USD")).ruleIDs == [])
        #expect(evaluate(T.transaction(amount: "10000")).ruleIDs == ["ceiling"])
        #expect(evaluate(T.transaction(amount: "9999.99")).ruleIDs == [])
    }

    @Test func missingAttributesNeverMatchConditionsOnThem() {
        #expect(evaluate(T.transaction(amount: "300", channel: nil)).segmentID == "default")
        #expect(evaluate(T.transaction(mcc: nil)).segmentID == "default")
        #expect(evaluate(T.transaction(mcc: 5960)).segmentID == "risky_mcc")
        #expect(evaluate(T.transaction(mcc: 5969)).segmentID == "risky_mcc")
        #expect(evaluate(T.transaction(mcc: 5970)).segmentID == "default")
    }

    // MARK: Lists and precedence

    @Test func blockListsBlockWhateverTheScore() {
        let card = evaluate(T.transaction(card: "card-blocked"), score: 0)
        #expect(card.action == .block)
        #expect(card.ruleIDs == ["list:block_cards"])
        let merchant = evaluate(T.transaction(merchant: "merchant-blocked"), score: 0)
        #expect(merchant.ruleIDs == ["list:block_merchants"])
        let both = evaluate(T.transaction(card: "card-blocked", merchant: "merchant-blocked"), score: 0.96)
        #expect(both.ruleIDs == ["list:block_cards", "list:block_merchants", "threshold:default:block"])
    }

    @Test func allowListsSuppressScoreThresholdsOnly() {
        let allowed = evaluate(T.transaction(card: "card-allowed"), score: 0.99)
        #expect(allowed.action == nil)
        #expect(allowed.ruleIDs == ["list:allow_cards"])
        #expect(evaluate(T.transaction(merchant: "merchant-allowed"), score: 0.99).action == nil)
        // A block list beats an allow list.
        let blockedMerchant = evaluate(T.transaction(card: "card-allowed", merchant: "merchant-blocked"), score: 0.99)
        #expect(blockedMerchant.action == .block)
        #expect(blockedMerchant.ruleIDs == ["list:block_merchants", "list:allow_cards"])
        // Explicit rules still apply to allowed cards.
        let ceiling = evaluate(T.transaction(amount: "20000", card: "card-allowed"), score: 0.99)
        #expect(ceiling.action == .review)
        #expect(ceiling.ruleIDs == ["ceiling", "list:allow_cards"])
        // ... unless the rule excludes them.
        #expect(evaluate(T.transaction(card: "card-allowed"), score: 0.9995).ruleIDs == ["list:allow_cards"])
        #expect(evaluate(T.transaction(), score: 0.9995).ruleIDs == ["extreme_unless_allowed", "threshold:default:block"])
    }

    // MARK: Explicit rules

    @Test func strongestActionWinsAndEveryMatchIsListed() {
        let outcome = evaluate(T.transaction(amount: "12000", card: "card-watched"), score: 0.4, reasons: ["card_recent_fraud_report"])
        #expect(outcome.action == .alert)
        #expect(outcome.ruleIDs == ["ceiling", "watched", "reported"])
    }

    @Test func reasonCodeConditionLooksAtTheTopReasons() {
        #expect(evaluate(T.transaction(), score: 0.3, reasons: ["amount", "card_recent_fraud_report"]).ruleIDs == ["reported"])
        #expect(evaluate(T.transaction(), score: 0.3, reasons: ["amount"]).ruleIDs == [])
        #expect(evaluate(T.transaction(), score: 0.3.nextDown, reasons: ["card_recent_fraud_report"]).ruleIDs == [])
    }

    @Test func decisionComponentConditions() {
        let atm = T.transaction(channel: "atm", mcc: 6011)
        let rules = Self.rules
        let hit = rules.evaluate(transaction: atm, decision: T.decision(score: 0.1, probability: 0.5, anomaly: 0.9))
        #expect(hit.action == .block)
        #expect(hit.ruleIDs == ["atm_anomaly"])
        #expect(rules.evaluate(transaction: atm, decision: T.decision(score: 0.1, probability: 0.49, anomaly: 0.9)).action == nil)
        #expect(rules.evaluate(transaction: atm, decision: T.decision(score: 0.1, probability: 0.5, anomaly: 0.89)).action == nil)
    }

    // MARK: Determinism

    @Test func evaluationIsDeterministicAndIndependentOfHowTheRulesWereBuilt() throws {
        let work = RulesBenchmark.workload()
        let reloaded = try RuleSet(yaml: Self.rules.yaml())
        #expect(reloaded == Self.rules)
        for (transaction, decision) in work.prefix(1_000) {
            let first = Self.rules.evaluate(transaction: transaction, decision: decision)
            #expect(Self.rules.evaluate(transaction: transaction, decision: decision) == first)
            #expect(reloaded.evaluate(transaction: transaction, decision: decision) == first)
        }
    }

    @Test func emptyRulesPassEverything() throws {
        let rules = try RuleSet(yaml: "version: \"empty\"\n")
        let outcome = rules.evaluate(transaction: T.transaction(), decision: T.decision(score: 1))
        #expect(outcome == RuleOutcome(action: nil, ruleIDs: [], rulesVersion: "empty", segmentID: "default"))
    }

    @Test func defaultRulesActSensibly() throws {
        let rules = try RuleSet.load(contentsOf: T.defaultRulesPath)
        func outcome(_ transaction: Transaction, _ score: Double) -> RuleOutcome {
            rules.evaluate(transaction: transaction, decision: T.decision(score: score))
        }
        #expect(outcome(T.transaction(amount: "40"), 0.2).action == nil)
        #expect(outcome(T.transaction(amount: "40"), 0.72).ruleIDs == ["threshold:default:alert"])
        #expect(outcome(T.transaction(amount: "60", channel: "atm", mcc: 6011), 0.62).ruleIDs == ["threshold:atm:alert"])
        #expect(outcome(T.transaction(amount: "250", channel: "ecommerce", mcc: 5999), 0.36).ruleIDs == ["threshold:ecommerce_high_amount:review"])
        #expect(outcome(T.transaction(amount: "3.50"), 0.6).action == nil)
        #expect(outcome(T.transaction(amount: "15000"), 0.1).ruleIDs == ["amount_ceiling_review"])
        #expect(outcome(T.transaction(amount: "15000"), 0.45).ruleIDs == ["amount_ceiling_review", "threshold:high_amount:review"])
    }

    @Test func actionsOrderBySeverity() {
        #expect(RuleAction.review < RuleAction.alert && RuleAction.alert < RuleAction.block)
        #expect(RuleAction.allCases.map { RuleAction(severity: $0.severity) } == RuleAction.allCases)
        #expect(RuleAction(severity: 0) == nil)
    }
}
