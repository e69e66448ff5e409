import FraudEngine
import Testing

@testable import FraudSimulator

@Suite struct SimulatedEventStreamTests {
    @Test func eventsAreInEventTimeOrderAndReportsFollowTheirFraud() throws {
        var stream = try SimulatedEventStream(
            configuration: SimulatorConfiguration(customers: 300, terminals: 600, days: 20, seed: 3))
        var lastTime = EpochMillis.min
        var seen = Set<String>()
        var reported = Set<String>()
        var frauds = Set<String>()
        var lastWasTransactionAt: EpochMillis?
        var compromises = 0
        while let event = stream.next() {
            #expect(event.time >= lastTime, "event time never goes back")
            lastTime = event.time
            switch event {
            case .transaction(let t):
                seen.insert(t.transaction.transactionID)
                if t.isFraud { frauds.insert(t.transaction.transactionID) }
                lastWasTransactionAt = t.transaction.timestamp
            case .label(let label):
                #expect(seen.contains(label.transactionID), "a report comes after its transaction")
                #expect(reported.insert(label.transactionID).inserted, "one report per fraud")
                if let at = lastWasTransactionAt { #expect(label.reportedAt >= at) }
            case .compromise:
                compromises += 1
            }
        }
        #expect(reported == frauds)
        #expect(compromises == 20 * 5)
        #expect(stream.pendingReports == 0)
        #expect(stream.simulator.summary.frauds == frauds.count)
    }

    @Test func streamingEqualsDayBatches() throws {
        let configuration = SimulatorConfiguration(customers: 200, terminals: 400, days: 6, seed: 11)
        var stream = try SimulatedEventStream(configuration: configuration)
        var streamed: [SimulatedTransaction] = []
        while let event = stream.next() {
            if case .transaction(let t) = event { streamed.append(t) }
        }
        let batched = try simulateAll(configuration).days.flatMap(\.transactions)
        #expect(streamed == batched)
    }
}
