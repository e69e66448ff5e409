import FraudEngine
import Testing

@testable import FraudSimulator

/// A small run shared by the statistical tests: 500 customers, 1,000 terminals, 30 days.
let smallConfiguration = SimulatorConfiguration(customers: 500, terminals: 1_000, days: 30, seed: 1)

func simulateAll(_ configuration: SimulatorConfiguration) throws -> (days: [SimulatedDay], summary: SimulationSummary) {
    var simulator = try TransactionSimulator(configuration: configuration)
    var days: [SimulatedDay] = []
    while let day = simulator.nextDay() { days.append(day) }
    return (days, simulator.summary)
}

@Suite struct TransactionSimulatorTests {
    @Test func statisticsOfASmallRunAreInRange() throws {
        let (days, summary) = try simulateAll(smallConfiguration)
        #expect(days.count == 30)
        #expect(summary.days == 30)
        // λ ~ U(0, 4): about 2 tx per customer and day, 3% of times fall outside the day.
        let perDay = Double(summary.transactions) / 30
        #expect(perDay > 800 && perDay < 1_150, "transactions per day: \(perDay)")
        // A small world has few terminals, so compromised ones weigh more than in the 0.8% default.
        #expect(summary.fraudRate > 0.02 && summary.fraudRate < 0.10, "fraud rate \(summary.fraudRate)")
        #expect((5...100).contains(summary.frauds(.largeAmount)), "scenario 1: \(summary.frauds(.largeAmount))")
        #expect((300...2_500).contains(summary.frauds(.compromisedTerminal)), "scenario 2: \(summary.frauds(.compromisedTerminal))")
        #expect((200...1_500).contains(summary.frauds(.compromisedCard)), "scenario 3: \(summary.frauds(.compromisedCard))")
        #expect(summary.compromisedTerminals == 60)
        #expect(summary.compromisedCards == 90)
        let all = days.flatMap(\.transactions)
        #expect(all.count == summary.transactions)
        #expect(all.filter(\.isFraud).count == summary.frauds)
    }

    @Test func handbookFraudRulesHold() throws {
        let (days, _) = try simulateAll(smallConfiguration)
        let limit = Money(whole: 220)
        var terminalWindows: [String: [(EpochMillis, EpochMillis)]] = [:]
        for compromise in days.flatMap(\.compromises) where compromise.kind == .terminal {
            terminalWindows[compromise.entityID, default: []].append((compromise.from, compromise.until))
        }
        for t in days.flatMap(\.transactions) {
            let tx = t.transaction
            #expect(tx.amount.units >= 100, "amount at least 0.01")
            #expect(tx.amount.units % 100 == 0, "amounts have 2 decimals")
            if tx.amount > limit && t.scenario != .compromisedCard { #expect(t.isFraud) }
            if !t.isFraud { #expect(tx.amount <= limit) }
            let onCompromisedTerminal = terminalWindows[tx.terminalID!, default: []].contains { $0.0 <= tx.timestamp && tx.timestamp < $0.1 }
            if onCompromisedTerminal { #expect(t.isFraud, "every transaction on a compromised terminal is fraud") }
            if t.scenario == .compromisedTerminal { #expect(onCompromisedTerminal) }
            if t.scenario == .compromisedCard { #expect((tx.amount.units / 100) % 5 == 0, "scenario 3 amounts are ×5") }
            #expect(tx.merchantID == "merchant-\(t.terminal / 5)")
            #expect(tx.terminalID == "terminal-\(t.terminal)")
            #expect(tx.cardID == "card-\(t.customer)")
            #expect(tx.currency.description == "EUR")
            #expect((49.5...51.5).contains(tx.latitude!) && (2.55...6.4).contains(tx.longitude!))
            #expect(["card_present", "ecommerce", "atm"].contains(tx.channel!))
        }
    }

    @Test func customersUseOnlyTerminalsWithinTheRadius() throws {
        let simulator = try TransactionSimulator(configuration: smallConfiguration)
        let world = simulator.world
        for customer in world.customers.prefix(100) {
            let expected = world.terminals.filter {
                let dx = $0.x - customer.x
                let dy = $0.y - customer.y
                return dx * dx + dy * dy < 25
            }.map { Int32($0.index) }
            #expect(customer.terminals == expected)
        }
        let (days, _) = try simulateAll(SimulatorConfiguration(customers: 100, terminals: 1_000, days: 3, seed: 5))
        for t in days.flatMap(\.transactions) {
            #expect(world.customers.count > t.customer)
        }
    }

    @Test func transactionsAreInTimeOrderWithStableIDs() throws {
        let (days, _) = try simulateAll(smallConfiguration)
        let all = days.flatMap(\.transactions)
        for (i, t) in all.enumerated() {
            #expect(t.index == i)
            #expect(t.transaction.transactionID == TransactionSimulator.transactionID(i))
        }
        for (a, b) in zip(all, all.dropFirst()) {
            #expect(a.transaction.timestamp <= b.transaction.timestamp)
        }
        #expect(TransactionSimulator.transactionID(42) == "tx-0000000042")
        let start = smallConfiguration.start
        #expect(all.first!.transaction.timestamp >= start)
        #expect(all.last!.transaction.timestamp < start + 30 * CivilCalendar.millisPerDay)
    }

    @Test func everyFraudHasOneReportOneToFourteenDaysLater() throws {
        let (days, _) = try simulateAll(smallConfiguration)
        for t in days.flatMap(\.transactions) {
            if t.isFraud {
                let report = try #require(t.fraudReport)
                let delay = report.reportedAt - t.transaction.timestamp
                #expect(delay >= CivilCalendar.millisPerDay && delay <= 14 * CivilCalendar.millisPerDay)
                #expect(report.isFraud && report.cardID == t.transaction.cardID)
                #expect(report.transactionID == t.transaction.transactionID)
            } else {
                #expect(t.reportedAt == nil && t.fraudReport == nil)
            }
        }
    }

    @Test func sameSeedSameRunDifferentSeedDifferentRun() throws {
        let configuration = SimulatorConfiguration(customers: 200, terminals: 400, days: 5, seed: 7)
        let a = try simulateAll(configuration).days.flatMap(\.transactions)
        let b = try simulateAll(configuration).days.flatMap(\.transactions)
        #expect(a == b)
        var other = configuration
        other.seed = 8
        let c = try simulateAll(other).days.flatMap(\.transactions)
        #expect(a != c)
    }

    @Test func invalidConfigurationsNameTheParameter() {
        func failure(_ change: (inout SimulatorConfiguration) -> Void) -> String? {
            var configuration = SimulatorConfiguration()
            change(&configuration)
            do {
                try configuration.validate()
                return nil
            } catch {
                return error.parameter
            }
        }
        #expect(failure { $0.customers = 0 } == "customers")
        #expect(failure { $0.terminals = -1 } == "terminals")
        #expect(failure { $0.days = 0 } == "days")
        #expect(failure { $0.reportDelayDays = -1...3 } == "reportDelayDays")
        #expect(failure { $0.compromisedCardsPerDay = 6_000 } == "compromisedCardsPerDay")
        #expect(failure { $0.start = 0 } == "start")
        #expect(failure { _ in } == nil)
    }

    /// Pins the output for one seed, so a change to the simulator or to DeterministicRandom
    /// that alters generated data is noticed (demos and benchmarks quote these files).
    /// Recorded from a release build; a debug build must give the same bytes.
    @Test func goldenOutputForSeedOne() throws {
        let (days, summary) = try simulateAll(SimulatorConfiguration(customers: 50, terminals: 100, days: 2, seed: 1))
        #expect(summary.transactions == 90)
        #expect(summary.frauds == 5)
        let first = try #require(days.first?.transactions.first)
        #expect(
            TransactionEncoder().encodeString(first.transaction)
                == #"{"transaction_id":"tx-0000000000","card_id":"card-9","merchant_id":"merchant-12","amount":74.77,"currency":"EUR","timestamp":"2026-04-01T02:02:25.563Z","terminal_id":"terminal-62","mcc":5411,"country":"BE","channel":"card_present","latitude":51.20583,"longitude":5.67063}"#
        )
    }
}
