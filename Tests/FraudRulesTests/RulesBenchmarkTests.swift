import Testing
@testable import FraudRules

@Suite struct RulesBenchmarkTests {
    @Test func benchmarkRunsAndReportsARate() {
        let rate = RulesBenchmark.run(count: 20_000)
        #expect(rate > 0)
    }

    /// The workload exercises every kind of contribution, so the figure means something.
    @Test func workloadHitsListsRulesSegmentsAndThresholds() {
        let rules = RulesBenchmark.ruleSet()
        var ids: Set<String> = []
        var segments: Set<String> = []
        for (transaction, decision) in RulesBenchmark.workload() {
            let outcome = rules.evaluate(transaction: transaction, decision: decision)
            for id in outcome.ruleIDs { ids.insert(id.hasPrefix("threshold:") ? "threshold" : id) }
            segments.insert(outcome.segmentID)
        }
        #expect(ids.isSuperset(of: ["threshold", "amount_ceiling_review", "reported_card_alert"]))
        #expect(segments.count >= 5)
    }
}
