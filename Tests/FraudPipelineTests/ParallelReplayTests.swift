import FraudEngine
@testable import FraudPipeline
import FraudRules
import FraudSimulator
import Testing

/// The two-thread replay hands every outcome over in the history's order, with its input
/// position, exactly as a single-threaded ``ReplayCore`` decides it — across batch edges,
/// with labels, undecodable lines and transactions the engine refuses among them.
@Suite struct ParallelReplayTests {
    private func history() throws -> [HistoryEvent] {
        var stream = try SimulatedEventStream(
            configuration: SimulatorConfiguration(customers: 60, terminals: 120, days: 20, seed: 11))
        var events: [HistoryEvent] = []
        var line: Int64 = 0
        while let event = stream.next() {
            line += 1
            let position = InputPosition(topic: "/data/transactions.ndjson", partition: 0, offset: line)
            switch event {
            case .transaction(let t):
                if line % 97 == 0 { events.append(.rejected(position, reason: "invalid_json")) }
                var transaction = t.transaction
                // Now and then far in the past: the engine refuses it (too late).
                if line % 131 == 0 { transaction.timestamp -= 90 * 86_400_000 }
                events.append(.transaction(transaction, position))
            case .label(let label):
                events.append(.label(label, InputPosition(topic: "/data/labels.ndjson", partition: 0, offset: line)))
            case .compromise:
                break
            }
        }
        return events
    }

    /// The built-in thresholds (no rule reads the reasons, so the parallel replay does not
    /// hand them to the rules), and a rule set whose rule reads them (`reason_code`).
    private static let ruleSets: [RuleSet] = [
        .builtIn,
        try! RuleSet(yaml: """
            version: "reasons-1"
            thresholds: {review: 0.6, alert: 0.8, block: 0.95}
            rules:
              - id: reported_card_alert
                action: alert
                when:
                  score_at_least: 0.2
                  reason_code: [card_recent_fraud_report, card_fraud_reports_30d]
            """, fileName: "reasons.yaml"),
    ]

    private func describe(_ outcome: ParallelReplay.Outcome) -> String {
        switch outcome {
        case .decided(let s):
            "decided \(s.transaction.transactionID) @\(s.position.topic):\(s.position.offset) score \(s.decision.score.bitPattern) action \(s.verdict.action.map { "\($0)" } ?? "-") rules \(s.verdict.ruleIDs) reasons \(s.decision.reasons.map { "\($0.code):\($0.contribution.bitPattern)" }) labels \(s.labelsBefore.map(\.offset))"
        case .refused(let t, let position, let error):
            "refused \(t.transactionID) @\(position.offset): \(error)"
        case .rejected(let position, let reason):
            "rejected @\(position.offset): \(reason)"
        }
    }

    @Test(arguments: [1, 7, 4096], [0, 1])
    func outcomesMatchASingleThreadedRunInOrder(batchSize: Int, rulesIndex: Int) throws {
        let rules = Self.ruleSets[rulesIndex]
        #expect(rules.readsReasons == (rulesIndex == 1))
        let events = try history()
        // Single-threaded: the same core type, outcomes described the same way.
        let single = ReplayCore(engine: Engine(configuration: .default), rules: rules, run: "r", writesRecords: false)
        var expected: [String] = []
        for event in events {
            switch (single.apply(event, processedAt: 0), event) {
            case (.decided(let decision, let verdict), .transaction(let transaction, let position)):
                expected.append(describe(.decided(ScoredTransaction(
                    transaction: transaction, position: position, decision: decision, verdict: verdict,
                    labelsBefore: single.labelsBeforeLastDecision))))
            case (.refused(let error), .transaction(let transaction, let position)):
                expected.append(describe(.refused(transaction, position, error)))
            case (.rejected(let reason), .rejected(let position, _)):
                expected.append(describe(.rejected(position, reason)))
            default:
                break
            }
        }
        #expect(expected.contains { $0.hasPrefix("refused") } && expected.contains { $0.hasPrefix("rejected") })
        #expect(expected.contains { $0.hasPrefix("decided") && !$0.hasSuffix("labels []") })
        if rules.readsReasons {
            // The rule that reads the reasons must fire at least once, or the case proves nothing.
            #expect(expected.contains { $0.contains("rules [\"reported_card_alert\"]") })
        }

        let core = ReplayCore(engine: Engine(configuration: .default), rules: rules, run: "r", writesRecords: false)
        var index = 0
        var outcomes: [String] = []
        try ParallelReplay.run(
            core: core, batchSize: batchSize,
            next: {
                guard index < events.count else { return nil }
                defer { index += 1 }
                return events[index]
            },
            handle: { outcomes.append(describe($0)) })
        #expect(outcomes.count == expected.count)
        // The rules run on the calling thread; their actions still reach the core's counters.
        #expect(core.statistics == single.statistics)
        if rules.readsReasons { #expect(!core.statistics.actions.isEmpty) }
        let firstDifference = zip(outcomes, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "first difference at \(firstDifference?.offset ?? -1): \(firstDifference?.element.0 ?? "") vs \(firstDifference?.element.1 ?? "")")
    }
}
