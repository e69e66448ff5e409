@testable import FraudPipeline
import Testing

/// The online ROC AUC over matured labels.
@Suite struct MaturedAUCTests {
    let day: Int64 = 86_400_000

    @Test func countsOnlyMaturedTransactionsAndRanksThem() {
        var auc = MaturedAUC(maturity: 30 * day, capacity: 1_000)
        // Frauds score high, legitimate ones low: a perfect ranking.
        for i in 0..<100 {
            let fraud = i % 10 == 0
            auc.scored(key: UInt64(i), time: Int64(i) * 1000, score: fraud ? 0.9 : 0.1)
            if fraud { auc.reportedFraud(key: UInt64(i)) }
        }
        auc.advance(to: 29 * day)
        #expect(auc.auc == nil, "nothing matured before 30 days")
        #expect(auc.pending == 100)
        auc.advance(to: 31 * day)
        #expect(auc.pending == 0)
        #expect(auc.maturedPositives == 10 && auc.maturedNegatives == 90)
        #expect(auc.auc == 1)
    }

    @Test func reversedTiedAndLateReports() {
        var reversed = MaturedAUC(maturity: day, capacity: 100)
        reversed.scored(key: 1, time: 0, score: 0.2)
        reversed.reportedFraud(key: 1)
        reversed.scored(key: 2, time: 0, score: 0.8)
        reversed.advance(to: 2 * day)
        #expect(reversed.auc == 0)

        var tied = MaturedAUC(maturity: day, capacity: 100)
        tied.scored(key: 1, time: 0, score: 0.5)
        tied.reportedFraud(key: 1)
        tied.scored(key: 2, time: 0, score: 0.5)
        tied.advance(to: 2 * day)
        #expect(tied.auc == 0.5)
        // A report after maturity is too late to count (and does not crash).
        tied.reportedFraud(key: 2)
        #expect(tied.maturedPositives == 1)
    }

    @Test func capacityMaturesTheOldestEarly() {
        var auc = MaturedAUC(maturity: 30 * day, capacity: 3)
        for i in 0..<5 { auc.scored(key: UInt64(i), time: 0, score: 0.5) }
        #expect(auc.pending == 3)
        #expect(auc.maturedNegatives == 2)
        auc.reportedFraud(key: 4)
        auc.advance(to: 31 * day)
        #expect(auc.maturedPositives == 1 && auc.maturedNegatives == 4)
    }
}
