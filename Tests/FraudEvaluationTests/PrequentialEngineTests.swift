import FraudEngine
import Testing

@testable import FraudEvaluation

import FraudSimulator

/// End to end: the project's engine, driven prequentially over a small simulated run.
@Suite struct PrequentialEngineTests {
    /// 200 customers, 400 terminals, 20 days (about 7,500 transactions), 7-day burn-in.
    func simulated() throws -> (transactions: [Transaction], labels: [Label]) {
        var stream = try SimulatedEventStream(
            configuration: SimulatorConfiguration(customers: 200, terminals: 400, days: 20, seed: 4))
        var transactions: [Transaction] = []
        var labels: [Label] = []
        while let event = stream.next() {
            switch event {
            case .transaction(let t): transactions.append(t.transaction)
            case .label(let l): labels.append(l)
            case .compromise: break
            }
        }
        return (transactions, labels)
    }

    @Test func engineBeatsLooseFloorsOnASmallSimulatedRun() throws {
        let (transactions, labels) = try simulated()
        let runner = PrequentialRunner(scorer: Engine(), configuration: PrequentialConfiguration(burnInDays: 7))
        let report = try runner.run(transactions: transactions, labels: labels)
        #expect(report.transactionsScored == transactions.count)
        #expect(report.evaluatedFrauds > 100)
        let auc = try #require(report.rocAUC)
        let ap = try #require(report.averagePrecision)
        #expect(auc > 0.75, "ROC AUC \(auc)")
        #expect(ap > 0.2, "average precision \(ap)")
        #expect((report.cardPrecision?.mean ?? 0) > 0.1)
    }

    @Test func theEngineNeverSeesALabelBeforeItsReportTime() throws {
        let (transactions, labels) = try simulated()
        let runner = PrequentialRunner(scorer: Engine(), configuration: PrequentialConfiguration(burnInDays: 7))
        let reportTimes = labels.map(\.reportedAt).sorted()
        var clock = EpochMillis.min
        var scored = Set<String>()
        var applied = 0
        var due = 0
        var violations = 0
        runner.onEvent = { event in
            switch event {
            case .decision(let t, _):
                clock = max(clock, t.timestamp)
                scored.insert(t.transactionID)
                // Every label reported by now has been applied before this score: no later.
                while due < reportTimes.count && reportTimes[due] <= t.timestamp { due += 1 }
                if due != applied { violations += 1 }
            case .label(let l, _):
                // Applied only once the stream has reached its report time, and only after
                // its own transaction was scored: no sooner.
                applied += 1
                if !scored.contains(l.transactionID) { violations += 1 }
                if l.reportedAt < clock { violations += 1 }
            case .rejected: violations += 1
            }
        }
        _ = try runner.run(transactions: transactions, labels: labels)
        #expect(violations == 0)
    }
}
