import FraudIO
import FraudEngine
import Foundation
import Testing

@testable import FraudEvaluation

/// Records every call; scores a transaction as `amount / 100` (capped at 1), refuses
/// transactions whose id starts with "bad".
final class SpyScorer: PrequentialScorer {
    var calls: [String] = []

    func score(_ transaction: Transaction) throws(EngineError) -> Decision {
        if transaction.transactionID.hasPrefix("bad") {
            calls.append("refuse \(transaction.transactionID)")
            throw .tooLate(latenessMillis: 1, allowedMillis: 0)
        }
        calls.append("score \(transaction.transactionID)")
        let score = min(1, transaction.amount.doubleValue / 100)
        return Decision(
            transactionID: transaction.transactionID, cardID: transaction.cardID, eventTime: transaction.timestamp,
            score: score, modelProbability: score, anomaly: 1 - score,
            reasons: [ReasonCode(code: "amount", contribution: score)], stateVersion: UInt64(calls.count))
    }

    func learn(_ label: Label) -> LabelOutcome {
        calls.append("learn \(label.transactionID)")
        return .learnedFraud
    }
}

func tx(_ id: String, card: String = "card-1", amount: String, at time: EpochMillis) -> Transaction {
    Transaction(
        transactionID: id, cardID: card, merchantID: "m", amount: Money(amount)!, currency: CurrencyCode("EUR")!,
        timestamp: time)
}

let day = CivilCalendar.millisPerDay
/// 2026-04-01T00:00:00Z.
let t0: EpochMillis = 1_775_001_600_000

@Suite struct PrequentialRunnerTests {
    @Test func labelsAreAppliedOnlyOnceTheirReportTimeIsReached() throws {
        let transactions = [
            tx("a", amount: "10", at: t0 + 1_000),
            tx("b", amount: "20", at: t0 + 2_000),
            tx("bad", amount: "20", at: t0 + 2_500),
            tx("c", amount: "30", at: t0 + 3_000),
        ]
        // Given out of order: the runner applies them by reported_at.
        let labels = [
            Label(transactionID: "c", isFraud: true, reportedAt: t0 + 10_000),  // after the last transaction
            Label(transactionID: "b", isFraud: true, reportedAt: t0 + 2_999),  // before c
            Label(transactionID: "a", isFraud: true, reportedAt: t0 + 2_000),  // equal to b's time: before b
            Label(transactionID: "x", isFraud: true, reportedAt: t0 + 500),  // before everything
        ]
        let spy = SpyScorer()
        let runner = PrequentialRunner(scorer: spy, configuration: PrequentialConfiguration(burnInDays: 0))
        var events: [String] = []
        runner.onEvent = { event in
            switch event {
            case .label(let l, _): events.append("label \(l.transactionID)")
            case .decision(let t, _): events.append("decision \(t.transactionID)")
            case .rejected(let t, let e): events.append("rejected \(t.transactionID) \(e.reasonCode)")
            }
        }
        let report = try runner.run(transactions: transactions, labels: labels)
        #expect(spy.calls == ["learn x", "score a", "learn a", "score b", "refuse bad", "learn b", "score c", "learn c"])
        #expect(events == ["label x", "decision a", "label a", "decision b", "rejected bad too_late", "label b", "decision c", "label c"])
        #expect(report.transactionsRead == 4)
        #expect(report.transactionsScored == 3)
        #expect(report.transactionsRejected == ["too_late": 1])
        #expect(report.labelsAppliedDuringRun == 3)
        #expect(report.labelsAppliedAfterRun == 1)
        #expect(report.labelOutcomes == ["learned_fraud": 4])
    }

    @Test func metricsCoverOnlyTransactionsAfterTheBurnIn() throws {
        // Day 0 (burn-in): a fraud scored low would spoil every metric if it were measured.
        // Day 1: frauds f1 (0.9), f2 (0.5); legit l1 (0.6), l2 (0.1) on four cards.
        // Day 2: fraud f3 (0.4) and legit l3 (0.3).
        let transactions = [
            tx("early", card: "card-9", amount: "1", at: t0 + 10),
            tx("f1", card: "card-1", amount: "90", at: t0 + day + 1),
            tx("l1", card: "card-2", amount: "60", at: t0 + day + 2),
            tx("f2", card: "card-3", amount: "50", at: t0 + day + 3),
            tx("l2", card: "card-4", amount: "10", at: t0 + day + 4),
            tx("l3", card: "card-2", amount: "30", at: t0 + 2 * day + 1),
            tx("f3", card: "card-1", amount: "40", at: t0 + 2 * day + 2),
        ]
        let labels = ["early", "f1", "f2", "f3"].map { Label(transactionID: $0, isFraud: true, reportedAt: t0 + 5 * day) }
        var configuration = PrequentialConfiguration(burnInDays: 1, threshold: 0.5, cardPrecisionK: 1)
        configuration.progressInterval = 1
        let runner = PrequentialRunner(scorer: SpyScorer(), configuration: configuration)
        var alerts: [String: Bool] = [:]
        var progress = 0
        runner.onDecision = { t, _, alert, _ in alerts[t.transactionID] = alert }
        runner.onProgress = { _ in progress += 1 }
        let report = try runner.run(transactions: transactions, labels: labels)

        #expect(report.evaluationStart == t0 + day)
        #expect(report.evaluatedTransactions == 6)
        #expect(report.evaluatedFrauds == 3)
        // Frauds {0.9, 0.5, 0.4} vs legit {0.6, 0.1, 0.3}: pairs won 3 + 2 + 2 = 7 of 9.
        #expect(abs(report.rocAUC! - 7.0 / 9.0) < 1e-12)
        // Descending: 0.9 F (P 1, R ⅓), 0.6 L, 0.5 F (P ⅔, R ⅔), 0.4 F (P ¾, R 1), ...
        #expect(abs(report.averagePrecision! - (1.0 / 3 + 2.0 / 9 + 1.0 / 4)) < 1e-12)
        // Day 1 top card: card-1 (0.9, fraud) → 1. Day 2 top card: card-1 (0.4, fraud) → 1.
        #expect(report.cardPrecision?.mean == 1)
        #expect(report.evaluatedDays == 2)
        // score >= 0.5 alerts f1, l1, f2: TP 2, FP 1, FN 1.
        #expect(report.confusion == ConfusionCounts(truePositives: 2, falsePositives: 1, trueNegatives: 2, falseNegatives: 1))
        #expect(alerts["f2"] == true && alerts["l2"] == false && alerts["early"] == false)
        #expect(progress == transactions.count + 1)
    }

    @Test func truthIsTheLastLabelOfATransaction() throws {
        let transactions = [tx("a", amount: "90", at: t0), tx("b", amount: "10", at: t0 + 1)]
        let labels = [
            Label(transactionID: "a", isFraud: false, reportedAt: t0 + 3 * day),
            Label(transactionID: "a", isFraud: true, reportedAt: t0 + 2 * day),
            Label(transactionID: "b", isFraud: true, reportedAt: t0 + 2 * day),
        ]
        let report = try PrequentialRunner(scorer: SpyScorer(), configuration: PrequentialConfiguration(burnInDays: 0))
            .run(transactions: transactions, labels: labels)
        #expect(report.evaluatedFrauds == 1)
        #expect(report.rocAUC == 0)  // the only fraud (b) scores below the only legitimate one
    }

    @Test func invalidLinesStopWithFileAndLineOrAreSkipped() throws {
        let good = #"{"transaction_id":"a","card_id":"c","merchant_id":"m","amount":12.5,"currency":"EUR","timestamp":"2026-04-01T10:00:00Z"}"#
        let bad = #"{"transaction_id":"b","card_id":"c","merchant_id":"m","amount":-5,"currency":"EUR","timestamp":"2026-04-01T10:00:01Z"}"#
        let path = try writeTemporaryFile([good, "", bad, good.replacingOccurrences(of: "\"a\"", with: "\"c\"")].joined(separator: "\n"))
        let strict = PrequentialRunner(scorer: SpyScorer(), configuration: PrequentialConfiguration(burnInDays: 0))
        do {
            _ = try strict.run(transactions: try NDJSONFileReader(path: path), labels: [])
            Issue.record("expected an error")
        } catch let error as PrequentialInputError {
            #expect(error.line == 3)
            #expect(error.error.field == "amount")
            #expect(error.description.hasPrefix(path + ":3: amount:"))
        }
        let lenient = PrequentialRunner(
            scorer: SpyScorer(), configuration: PrequentialConfiguration(burnInDays: 0, skipInvalid: true))
        let report = try lenient.run(transactions: try NDJSONFileReader(path: path), labels: [])
        #expect(report.invalidTransactionLines == 1)
        #expect(report.transactionsScored == 2)

        let labelPath = try writeTemporaryFile(#"{"transaction_id":"a","is_fraud":true,"reported_at":"2026-04-02T00:00:00Z"}"# + "\nnot json\n")
        #expect(throws: PrequentialInputError.self) {
            _ = try PrequentialRunner.readLabels(try NDJSONFileReader(path: labelPath), skipInvalid: false)
        }
        let (labels, invalid) = try PrequentialRunner.readLabels(try NDJSONFileReader(path: labelPath), skipInvalid: true)
        #expect(labels.count == 1 && invalid == 1)
    }
}
