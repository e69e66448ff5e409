import FraudEngine
import FraudRules
import Testing

@testable import FraudAnalysis

@Suite struct DecisionComparisonTests {
    @Test func smallCaseByHand() throws {
        let t = AnalysisTestSupport.time
        let recorded = try AnalysisTestSupport.write([
            AnalysisTestSupport.recordLine(id: "a", time: t(0, 1), score: 0.9, action: .alert, amount: "100"),
            AnalysisTestSupport.recordLine(id: "b", time: t(0, 2), score: 0.6, action: .review, amount: "40"),
            AnalysisTestSupport.recordLine(id: "c", time: t(1, 3), score: 0.3, action: nil, amount: "7"),
            AnalysisTestSupport.recordLine(id: "d", time: t(1, 4), score: 0.2, action: nil, amount: "1"),
            AnalysisTestSupport.recordLine(id: "x", time: t(1, 5), score: 0.2, action: nil),
        ])
        let replayed = try AnalysisTestSupport.write([
            AnalysisTestSupport.recordLine(id: "a", time: t(0, 1), score: 0.9, action: .block, amount: "100"),
            AnalysisTestSupport.recordLine(id: "b", time: t(0, 2), score: 0.6, action: nil, amount: "40"),
            AnalysisTestSupport.recordLine(id: "c", time: t(1, 3), score: 0.3, action: .review, amount: "7"),
            AnalysisTestSupport.recordLine(id: "c", time: t(1, 3), score: 0.3, action: .review, amount: "7"),
            AnalysisTestSupport.recordLine(id: "d", time: t(1, 4), score: 0.2, action: nil, amount: "1"),
        ])
        let labels = try AnalysisTestSupport.write([
            #"{"transaction_id":"a","is_fraud":true,"reported_at":"2026-04-10T00:00:00.000Z"}"#,
            #"{"transaction_id":"c","is_fraud":true,"reported_at":"2026-04-10T00:00:00.000Z"}"#,
        ])
        let c = try DecisionComparison.load(recorded: recorded, replayed: replayed, labels: labels)
        #expect(c.matched == 4 && c.onlyRecorded == 1 && c.onlyReplayed == 0)
        #expect(c.replayed.duplicatesDropped == 1)
        #expect(c.added == 1 && c.removed == 1 && c.changed == 1 && c.unchanged == 0)
        #expect(c.addedFrauds == 1 && c.removedFrauds == 0)
        #expect(c.addedExamples == ["c"] && c.removedExamples == ["b"])
        #expect(c.span?.days == 2)
        #expect(c.recorded.alertsByAction == [1, 1, 0])  // review, alert, block
        #expect(c.replayed.alertsByAction == [1, 0, 1])
        #expect(c.recorded.outcome.alertsPerDay == 1)
        #expect(c.recorded.outcome.precision == 0.5 && c.recorded.outcome.recall == 0.5)
        #expect(c.replayed.outcome.precision == 1 && c.replayed.outcome.recall == 1)
        #expect(c.recorded.outcome.fraudAmountCaught == Money("100"))
        #expect(c.replayed.outcome.fraudAmountCaught == Money("107"))
        let text = c.text()
        #expect(text.contains("added    1 (1 frauds)"))
        #expect(text.contains("removed  1 (0 frauds)"))
    }

    @Test(arguments: [21, 22, 23, 24, 25] as [UInt64])
    func countsAgreeWithBruteForce(seed: UInt64) throws {
        var (old, frauds) = AnalysisTestSupport.randomRecords(seed: seed, count: 250)
        var random = AnalysisTestSupport.Generator(state: seed &+ 99)
        // The replay: other actions, some transactions missing, some extra, some delivered twice.
        var new: [AnalysedDecision] = []
        for record in old where random.below(10) != 0 {
            var replayed = record
            replayed.action = random.below(3) == 0 ? RuleAction(severity: random.below(4)) : record.action
            if random.below(8) == 0 {
                var stale = replayed
                stale.action = RuleAction(severity: random.below(4))
                new.append(stale)  // an earlier delivery, superseded by the next
            }
            new.append(replayed)
        }
        new.append(AnalysedDecision(transactionID: "only-new", cardID: "c", eventTime: AnalysisTestSupport.time(day: 2), score: 1, action: .block))
        old.append(old[3])  // a duplicate in the recorded log too
        let labels = AnalysisTestSupport.labels(frauds)
        let c = DecisionComparison(recorded: DecisionLog(records: old), replayed: DecisionLog(records: new), labels: labels)

        // Brute force: last record per id by scanning backwards, then plain loops.
        func lastByID(_ records: [AnalysedDecision]) -> [String: AnalysedDecision] {
            var result: [String: AnalysedDecision] = [:]
            for record in records.reversed() where result[record.transactionID] == nil { result[record.transactionID] = record }
            return result
        }
        let before = lastByID(old)
        let after = lastByID(new)
        let common = before.keys.filter { after[$0] != nil }
        var added = 0, removed = 0, changed = 0, same = 0, addedFrauds = 0
        var tpBefore = 0, tpAfter = 0, alertsBefore = 0, alertsAfter = 0, fraudCount = 0
        var amountBefore: Int64 = 0, amountAfter: Int64 = 0
        var perAction = [[0, 0, 0], [0, 0, 0]]
        for id in common {
            let (o, n) = (before[id]!.action, after[id]!.action)
            let fraud = frauds.contains(id)
            if o == nil && n != nil { added += 1; if fraud { addedFrauds += 1 } }
            if o != nil && n == nil { removed += 1 }
            if let o, let n { if o == n { same += 1 } else { changed += 1 } }
            if let o { alertsBefore += 1; perAction[0][o.severity - 1] += 1 }
            if let n { alertsAfter += 1; perAction[1][n.severity - 1] += 1 }
            if fraud {
                fraudCount += 1
                if o != nil { tpBefore += 1; amountBefore += before[id]!.amount!.units }
                if n != nil { tpAfter += 1; amountAfter += before[id]!.amount!.units }
            }
        }
        #expect(c.matched == common.count)
        #expect(c.onlyRecorded == before.count - common.count)
        #expect(c.onlyReplayed == after.count - common.count)
        #expect(c.recorded.duplicatesDropped == old.count - before.count)
        #expect(c.replayed.duplicatesDropped == new.count - after.count)
        #expect(c.added == added && c.removed == removed && c.changed == changed && c.unchanged == same)
        #expect(c.addedFrauds == addedFrauds)
        #expect(c.recorded.outcome.alerts == alertsBefore && c.replayed.outcome.alerts == alertsAfter)
        #expect(c.recorded.alertsByAction == perAction[0] && c.replayed.alertsByAction == perAction[1])
        #expect(c.recorded.outcome.counts.truePositives == tpBefore && c.replayed.outcome.counts.truePositives == tpAfter)
        #expect(c.recorded.outcome.counts.positives == fraudCount)
        #expect(c.recorded.outcome.fraudAmountCaught == Money(units: amountBefore))
        #expect(c.replayed.outcome.fraudAmountCaught == Money(units: amountAfter))
        let days = try #require(EventDaySpan(common.map { before[$0]!.eventTime })).days
        #expect(c.replayed.outcome.alertsPerDay == Double(alertsAfter) / Double(days))
        #expect(c.transitions.flatMap { $0 }.reduce(0, +) == common.count)
    }

    @Test func withoutLabelsOrAmounts() throws {
        let t = AnalysisTestSupport.time(day: 0)
        let old = [AnalysedDecision(transactionID: "a", cardID: "c", eventTime: t, score: 0.9, action: .alert)]
        let new = [AnalysedDecision(transactionID: "a", cardID: "c", eventTime: t, score: 0.9, action: nil)]
        let plain = DecisionComparison(recorded: DecisionLog(records: old), replayed: DecisionLog(records: new), labels: nil)
        #expect(plain.removed == 1 && plain.removedFrauds == nil && !plain.hasLabels && plain.recorded.outcome.alerts == 1)
        #expect(!plain.text().contains("precision"))
        let labelled = DecisionComparison(
            recorded: DecisionLog(records: old), replayed: DecisionLog(records: new), labels: AnalysisTestSupport.labels(["a"]))
        #expect(labelled.recorded.outcome.fraudAmountCaught == nil)
        #expect(labelled.amountNote?.contains("not available") == true)
    }
}
