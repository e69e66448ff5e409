import FraudEngine
import Testing

@testable import FraudAnalysis

@Suite struct TunerTests {
    func tune(_ criteria: TuningCriteria, records: [AnalysedDecision] = ThresholdSweepTests.fixture.records,
              labels: FraudLabels = ThresholdSweepTests.fixture.labels, by: SegmentDimension? = nil) throws -> TuningResult {
        let options = TuningOptions(criteria: criteria, dimension: by, tableThresholds: [0, 0.5, 1], k: 1)
        return try Tuner(options: options).tune(DecisionLog(records: records), labels: labels)
    }

    @Test func budgetGivesTheLowestThresholdWithinIt() throws {
        // Scores 0.9 0.8 0.7 0.6 0.4 0.2 over 2 days. 2/day allows 4 alerts: threshold in (0.4, 0.6].
        let result = try tune(TuningCriteria(alertsPerDay: 2))
        let recommendation = try #require(result.overall.recommendation)
        #expect(recommendation.threshold == 0.401)
        #expect(recommendation.row.outcome.alerts == 4)
        #expect(recommendation.reason.contains("at 0.4 it would be 2.5 alerts per day"))
        // The recommended row joins the table, in order.
        #expect(result.overall.rows.map(\.threshold) == [0, 0.401, 0.5, 1])
        #expect(try tune(TuningCriteria(alertsPerDay: 1.9)).overall.recommendation?.threshold == 0.601)
        // Score quality: frauds 0.9, 0.6, 0.4 against 0.8, 0.7, 0.2 win 3 + 1 + 1 of 9 pairs.
        #expect(abs(try #require(result.overall.rocAUC) - 5.0 / 9) < 1e-12)
    }

    @Test func targetPrecisionGivesTheLowestThresholdReachingIt() throws {
        // Precision 0.6 first at 5 alerts (3 frauds): threshold in (0.2, 0.4].
        #expect(try tune(TuningCriteria(targetPrecision: 0.6)).overall.recommendation?.threshold == 0.201)
        // Precision 1 only with t1 alone: (0.8, 0.9].
        #expect(try tune(TuningCriteria(targetPrecision: 0.9)).overall.recommendation?.threshold == 0.801)
        // Both: at most 1 per day (2 alerts) and precision >= 0.5.
        #expect(try tune(TuningCriteria(alertsPerDay: 1, targetPrecision: 0.5)).overall.recommendation?.threshold == 0.701)
    }

    @Test func duplicatesAreDroppedBeforeCounting() throws {
        var records = ThresholdSweepTests.fixture.records
        var stale = records[5]
        stale.score = 0.99  // an earlier delivery of t6; the last record (0.2) counts
        records.insert(stale, at: 0)
        let result = try tune(TuningCriteria(alertsPerDay: 2), records: records)
        #expect(result.duplicatesDropped == 1)
        #expect(result.decisions == 6)
        #expect(result.overall.recommendation?.threshold == 0.401)
    }

    @Test func notesSayWhatIsMissing() throws {
        let plain = try tune(TuningCriteria(alertsPerDay: 2), by: .country)
        #expect(plain.amountNote == nil)
        #expect(plain.dimensionNote == "no decision has a country (pass --transactions with the transactions file to join it by transaction id)")
        #expect(plain.segments.map(\.name) == [SegmentDimension.noValue])
        let records = ThresholdSweepTests.fixture.records.map { record -> AnalysedDecision in
            var copy = record
            copy.amount = nil
            copy.country = "BE"
            return copy
        }
        let result = try tune(TuningCriteria(alertsPerDay: 2), records: records, by: .country)
        #expect(result.dimensionNote == nil)
        #expect(result.amountNote?.hasPrefix("fraud amount caught is not available: 3 of 3 frauds have no amount") == true)
        #expect(result.text().contains("fraud amount caught is not available"))
        #expect(result.overall.rows.allSatisfy { $0.outcome.fraudAmountCaught == nil })
    }

    @Test func segmentsSplitTheBudgetWhereAlertsCatchFraud() throws {
        let t = AnalysisTestSupport.time(day: 0)
        func record(_ id: String, _ channel: String, _ score: Double) -> AnalysedDecision {
            AnalysedDecision(transactionID: id, cardID: "card-\(id)", eventTime: t, score: score, amount: Money("10"), currency: "EUR", channel: channel)
        }
        // atm: its two highest scores are frauds. ecommerce: higher scores, all legitimate.
        let records = [
            record("a1", "atm", 0.6), record("a2", "atm", 0.55), record("a3", "atm", 0.3),
            record("e1", "ecommerce", 0.95), record("e2", "ecommerce", 0.9), record("e3", "ecommerce", 0.1),
        ]
        let result = try tune(TuningCriteria(alertsPerDay: 2), records: records, labels: AnalysisTestSupport.labels(["a1", "a2"]), by: .channel)
        // One threshold for all with 2 alerts: the two ecommerce ones, no fraud.
        #expect(result.overall.recommendation?.row.outcome.counts.truePositives == 0)
        let byName = Dictionary(uniqueKeysWithValues: result.segments.map { ($0.name, $0) })
        #expect(byName["atm"]?.recommendation?.threshold == 0.301)
        #expect(byName["atm"]?.recommendation?.row.outcome.alerts == 2)
        #expect(byName["ecommerce"]?.recommendation?.row.outcome.alerts == 0)
        let combined = try #require(result.combined)
        #expect(combined.alerts == 2 && combined.counts.truePositives == 2)
        #expect(result.segmentThresholds.count == 2)
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func segmentBudgetIsKeptAndLeftNothingUsable(seed: UInt64) throws {
        let (records, frauds) = AnalysisTestSupport.randomRecords(seed: seed, count: 400)
        let budget = 12.0
        let result = try tune(TuningCriteria(alertsPerDay: budget), records: records, labels: AnalysisTestSupport.labels(frauds), by: .channel)
        let days = result.span.days
        // Recount the combined outcome from the records.
        var alerts = 0
        var caught = 0
        for record in records {
            let value = record.channel ?? SegmentDimension.noValue
            let threshold = try #require(result.segments.first { $0.value == value }?.recommendation?.threshold)
            if record.score >= threshold {
                alerts += 1
                if frauds.contains(record.transactionID) { caught += 1 }
            }
        }
        let combined = try #require(result.combined)
        #expect(combined.alerts == alerts && combined.counts.truePositives == caught)
        #expect(Double(alerts) <= budget * Double(days))
        // No segment could go lower within what is left of the budget and catch more fraud.
        let left = budget * Double(days) - Double(alerts)
        for segment in result.segments {
            let chosen = try #require(segment.recommendation).row.outcome
            for row in segment.curve where row.outcome.alerts > chosen.alerts {
                let fits = Double(row.outcome.alerts - chosen.alerts) <= left
                #expect(!(fits && row.outcome.counts.truePositives > chosen.counts.truePositives), "\(segment.name) at \(row.threshold)")
            }
        }
    }
}

@Suite struct BadArgumentsTests {
    @Test func missingLabelsFile() {
        #expect(throws: AnalysisError("labels file /nonexistent/labels.ndjson: cannot open: No such file or directory")) {
            try FraudLabels.read(path: "/nonexistent/labels.ndjson")
        }
    }

    @Test func emptyDecisions() throws {
        let path = try AnalysisTestSupport.write([])
        #expect(throws: AnalysisError("decisions file \(path): holds no decision records (empty)")) { try DecisionLog.read(path: path) }
        let options = TuningOptions(criteria: TuningCriteria(alertsPerDay: 5))
        #expect(throws: AnalysisError("<decisions>: holds no decision records (empty)")) {
            try Tuner(options: options).tune(DecisionLog(records: []), labels: FraudLabels([]))
        }
    }

    @Test func budgetOfZero() {
        let options = TuningOptions(criteria: TuningCriteria(alertsPerDay: 0))
        #expect {
            try Tuner(options: options).tune(DecisionLog(records: ThresholdSweepTests.fixture.records), labels: ThresholdSweepTests.fixture.labels)
        } throws: { error in
            (error as? AnalysisError)?.message.hasPrefix("--alerts-per-day must be a number > 0") == true
                && (error as? AnalysisError)?.message.hasSuffix("got 0") == true
        }
        #expect(throws: AnalysisError.self) { try TuningCriteria(targetPrecision: 1.5).validate() }
    }

    @Test func targetPrecisionNeverReached() {
        let t = AnalysisTestSupport.time(day: 0)
        let records = [
            AnalysedDecision(transactionID: "a", cardID: "c", eventTime: t, score: 0.9),
            AnalysedDecision(transactionID: "b", cardID: "c", eventTime: t, score: 0.5),
        ]
        let options = TuningOptions(criteria: TuningCriteria(targetPrecision: 0.9))
        #expect(throws: AnalysisError("target precision 0.9 is never reached: the best is 0.5 at threshold 0 (2 alerts, 1 frauds)")) {
            try Tuner(options: options).tune(DecisionLog(records: records), labels: AnalysisTestSupport.labels(["b"]))
        }
    }

    @Test func budgetNeverMet() {
        let t = AnalysisTestSupport.time(day: 0)
        let records = (0..<3).map { AnalysedDecision(transactionID: "t\($0)", cardID: "c", eventTime: t, score: 1) }
        let options = TuningOptions(criteria: TuningCriteria(alertsPerDay: 2))
        #expect(throws: AnalysisError("no threshold keeps alerts within 2 per day: even at threshold 1 there are 3.0 per day")) {
            try Tuner(options: options).tune(DecisionLog(records: records), labels: FraudLabels([]))
        }
    }

    @Test func unknownDimension() {
        #expect(throws: AnalysisError("unknown --by 'merchant': expected one of channel, country")) {
            try SegmentDimension(argument: "merchant")
        }
    }
}
