import FraudEngine
import FraudEvaluation
import Testing

@testable import FraudAnalysis

@Suite struct ThresholdSweepTests {
    /// Two days, three cards, three frauds (t1, t3, t5) worth 100 + 30 + 80 = 210.
    static let fixture: (records: [AnalysedDecision], labels: FraudLabels) = {
        let t = AnalysisTestSupport.time
        func record(_ id: String, _ card: String, _ day: Int, _ score: Double, _ amount: String) -> AnalysedDecision {
            AnalysedDecision(transactionID: id, cardID: card, eventTime: t(day, 10), score: score, amount: Money(amount), currency: "EUR")
        }
        let records = [
            record("t1", "A", 0, 0.9, "100"), record("t2", "B", 0, 0.8, "50"), record("t3", "C", 0, 0.6, "30"),
            record("t4", "A", 1, 0.7, "20"), record("t5", "B", 1, 0.4, "80"), record("t6", "C", 1, 0.2, "10"),
        ]
        return (records, AnalysisTestSupport.labels(["t1", "t3", "t5"]))
    }()

    @Test func tableAgreesWithMetricsComputedByHand() throws {
        let data = LabelledDecisions(records: Self.fixture.records, labels: Self.fixture.labels)
        #expect(data.span.days == 2)
        let sweep = ThresholdSweep(data, k: 1)
        // Expected, by hand: (threshold, alerts, alerts/day, TP, precision, recall, amount caught, card precision@1).
        let expected: [(Double, Int, Double, Int, Double?, Double, String, Double)] = [
            (0.95, 0, 0.0, 0, nil, 0, "0", 0),
            (0.85, 1, 0.5, 1, 1, 1.0 / 3, "100", 0.5),  // day 0: A (fraud); day 1: nothing flagged
            (0.75, 2, 1.0, 1, 0.5, 1.0 / 3, "100", 0.5),
            (0.5, 4, 2.0, 2, 0.5, 2.0 / 3, "130", 0.5),  // day 1's top card A is legitimate
            (0.3, 5, 2.5, 3, 0.6, 1, "210", 0.5),
            (0.0, 6, 3.0, 3, 0.5, 1, "210", 0.5),
        ]
        for (threshold, alerts, perDay, tp, precision, recall, amount, cardPrecision) in expected {
            let o = sweep.row(at: threshold).outcome
            #expect(o.alerts == alerts, "alerts at \(threshold)")
            #expect(o.alertsPerDay == perDay, "alerts per day at \(threshold)")
            #expect(o.counts.truePositives == tp, "frauds caught at \(threshold)")
            #expect(o.counts.total == 6)
            #expect(o.precision == precision, "precision at \(threshold)")
            #expect(abs(try #require(o.recall) - recall) < 1e-12, "recall at \(threshold)")
            #expect(o.fraudAmountCaught == Money(amount), "amount at \(threshold)")
            #expect(o.fraudAmountTotal == Money("210"))
            #expect(o.cardPrecisionAtK == cardPrecision, "card precision@1 at \(threshold)")
        }
        // k = 2: at 0.5, day 0 top 2 = A (fraud), B → ½; day 1 only A is flagged (legitimate) → 0.
        #expect(ThresholdSweep(data, k: 2).row(at: 0.5).outcome.cardPrecisionAtK == 0.25)
        #expect(ThresholdSweep(data, k: 2).row(at: 0.3).outcome.cardPrecisionAtK == 0.5)
    }

    @Test func amountsUnknownAreNotZeros() {
        var records = Self.fixture.records
        records[2].amount = nil  // t3 is a fraud
        let data = LabelledDecisions(records: records, labels: Self.fixture.labels)
        #expect(data.fraudsWithoutAmount == 1)
        let o = ThresholdSweep(data, k: 1).row(at: 0.5).outcome
        #expect(o.fraudAmountCaught == nil)
        #expect(o.amountRecall == nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func agreesWithBruteForceOnRandomFixtures(seed: UInt64) throws {
        let (records, frauds) = AnalysisTestSupport.randomRecords(seed: seed, count: 300)
        let data = LabelledDecisions(records: records, labels: AnalysisTestSupport.labels(frauds))
        let k = 3
        let sweep = ThresholdSweep(data, k: k)
        let isFraud = records.map { frauds.contains($0.transactionID) }
        for step in 0...21 {
            let threshold = Double(step) / 20
            let o = sweep.row(at: threshold).outcome
            let flagged = records.map { $0.score >= threshold }
            #expect(o.counts == ConfusionCounts(scores: records.map(\.score), labels: isFraud, threshold: threshold))
            let caught = records.indices.filter { flagged[$0] && isFraud[$0] }.reduce(Int64(0)) { $0 + records[$1].amount!.units }
            #expect(o.fraudAmountCaught == Money(units: caught))
            let cardPrecision = FlaggedCardPrecision.compute(
                days: data.days, cards: data.cards, scores: data.scores, frauds: data.frauds, flagged: flagged, k: k)
            #expect(abs(try #require(o.cardPrecisionAtK) - (try #require(cardPrecision))) < 1e-12)
        }
        // At threshold 0 every card is flagged: the handbook's plain card precision@k.
        let plain = CardPrecisionAtK(days: data.days, cards: data.cards, scores: data.scores, labels: data.frauds, k: k)
        #expect(abs(try #require(sweep.row(at: 0).outcome.cardPrecisionAtK) - (try #require(plain.mean))) < 1e-12)
    }
}
