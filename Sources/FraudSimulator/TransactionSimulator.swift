import FraudEngine
import FraudModels

/// The ULB fraud-detection handbook's transaction simulator, generating one day at a time.
///
/// Per day `d` (all draws from seeded ``DeterministicRandom`` sub-streams of the seed, so
/// the output is a pure function of the configuration):
/// 1. `compromisedTerminalsPerDay` distinct terminals become compromised for days
///    `d ..< d + 28`, and `compromisedCardsPerDay` distinct cards for `d ..< d + 14`.
/// 2. Each customer with at least one terminal makes Poisson(λ) transactions; each has a
///    time of day N(noon, 20,000 s) (draws outside the day are discarded), an amount
///    N(mean, mean/2) (a negative draw is replaced by U(0, 2·mean)), rounded half-even to
///    cents (at least 0.01), and a terminal drawn uniformly among the customer's.
/// 3. Fraud: amount > 220 (scenario 1); terminal compromised (scenario 2); card compromised
///    and a ⅓ draw succeeds (scenario 3: amount × 5). The last that applies names the scenario.
/// 4. Transactions are sorted by time (ties: customer, then draw order) and numbered.
/// 5. Each fraud gets a report delay uniform in `reportDelayDays` at millisecond resolution.
///
/// One deliberate difference from the handbook: scenario 3 there samples exactly ⌊n/3⌋ of
/// a compromised card's n transactions over the 14-day window, which needs the whole window
/// first; here each of them is fraud with probability ⅓, the same expectation, so the
/// simulator can stream day by day without look-ahead.
///
/// Memory is one day of transactions plus the world; it never holds the whole run.
public struct TransactionSimulator: Sendable {
    /// The configuration, validated.
    public let configuration: SimulatorConfiguration
    /// Customers and terminals.
    public let world: SimulatedWorld
    /// Counts so far.
    public private(set) var summary = SimulationSummary()
    /// The next day to generate.
    public private(set) var nextDayNumber = 0

    var terminalCompromisedUntil: [Int32]
    var cardCompromisedUntil: [Int32]
    var nextIndex = 0
    var idBuffer: [UInt8] = Array("tx-0000000000".utf8)

    /// Sub-stream numbers of the per-day draws (the world uses 1, 2 and 3).
    enum Stream {
        static let transactions: UInt64 = 1 << 32
        static let compromises: UInt64 = 2 << 32
        static let cardFraud: UInt64 = 3 << 32
        static let reports: UInt64 = 4 << 32
    }

    /// Validates the configuration and draws the world.
    public init(configuration: SimulatorConfiguration) throws(SimulatorConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.world = SimulatedWorld(configuration: configuration)
        terminalCompromisedUntil = Array(repeating: 0, count: configuration.terminals)
        cardCompromisedUntil = Array(repeating: 0, count: configuration.customers)
        summary.customersWithoutTerminals = world.customers.reduce(0) { $0 + ($1.terminals.isEmpty ? 1 : 0) }
    }

    /// Whether every day has been generated.
    public var isFinished: Bool { nextDayNumber >= configuration.days }

    /// Start of day `day`, epoch ms.
    public func startOfDay(_ day: Int) -> EpochMillis {
        configuration.start + Int64(day) * CivilCalendar.millisPerDay
    }

    /// Generates the next day, or returns nil after the last one.
    public mutating func nextDay() -> SimulatedDay? {
        guard !isFinished else { return nil }
        let c = configuration
        let day = nextDayNumber
        nextDayNumber += 1
        let dayStart = startOfDay(day)
        let day32 = Int32(day)

        // 1. Compromises drawn at the start of the day.
        var compromises: [SimulatedCompromise] = []
        var compromiseRandom = DeterministicRandom.fork(seed: c.seed, stream: Stream.compromises | UInt64(day))
        for terminal in Self.distinct(c.compromisedTerminalsPerDay, below: c.terminals, &compromiseRandom) {
            terminalCompromisedUntil[terminal] = max(terminalCompromisedUntil[terminal], day32 + Int32(c.terminalCompromiseDays))
            compromises.append(
                SimulatedCompromise(
                    kind: .terminal, entityID: world.terminalIDs[terminal], from: dayStart,
                    until: startOfDay(day + c.terminalCompromiseDays)))
        }
        for card in Self.distinct(c.compromisedCardsPerDay, below: c.customers, &compromiseRandom) {
            cardCompromisedUntil[card] = max(cardCompromisedUntil[card], day32 + Int32(c.cardCompromiseDays))
            compromises.append(
                SimulatedCompromise(
                    kind: .card, entityID: world.cardIDs[card], from: dayStart, until: startOfDay(day + c.cardCompromiseDays)))
        }
        summary.compromisedTerminals += c.compromisedTerminalsPerDay
        summary.compromisedCards += c.compromisedCardsPerDay

        // 2 and 3. Transactions in customer order, with their fraud scenario.
        var random = DeterministicRandom.fork(seed: c.seed, stream: Stream.transactions | UInt64(day))
        var cardFraudRandom = DeterministicRandom.fork(seed: c.seed, stream: Stream.cardFraud | UInt64(day))
        var raw: [RawTransaction] = []
        raw.reserveCapacity(Int(Double(c.customers) * (c.transactionsPerDayRange.upperBound + c.transactionsPerDayRange.lowerBound) / 2 * 1.2) + 16)
        let millisPerDay = Double(CivilCalendar.millisPerDay)
        let threshold = c.largeAmountThreshold.units
        for customer in world.customers where !customer.terminals.isEmpty {
            let count = random.nextPoisson(mean: customer.meanTransactionsPerDay)
            let cardCompromised = cardCompromisedUntil[customer.index] > day32
            for _ in 0..<count {
                let seconds = random.nextGaussian(mean: 43_200, standardDeviation: c.timeOfDayStandardDeviation)
                let millis = (seconds * 1000).rounded(.down)
                guard millis > 0, millis < millisPerDay else { continue }
                var amount = random.nextGaussian(mean: customer.meanAmount, standardDeviation: customer.amountStandardDeviation)
                if amount < 0 { amount = random.nextDouble(in: 0, 2 * customer.meanAmount) }
                var cents = max(1, Int64((amount * 100).rounded(.toNearestOrEven)))
                let terminal = customer.terminals[random.nextInt(below: customer.terminals.count)]
                var scenario = FraudScenario.none
                if cents * 100 > threshold { scenario = .largeAmount }
                if terminalCompromisedUntil[Int(terminal)] > day32 { scenario = .compromisedTerminal }
                if cardCompromised && cardFraudRandom.nextBool(probability: c.compromisedCardFraudShare) {
                    cents *= c.compromisedCardAmountMultiplier
                    scenario = .compromisedCard
                }
                raw.append(
                    RawTransaction(
                        millis: Int32(millis), customer: Int32(customer.index), terminal: terminal, cents: cents,
                        scenario: scenario, order: Int32(raw.count)))
            }
        }

        // 4. Event-time order; ties by customer then draw order (= `order`).
        raw.sort { $0.millis != $1.millis ? $0.millis < $1.millis : $0.order < $1.order }

        // 5. Number them, build the transactions and the fraud reports.
        var reportRandom = DeterministicRandom.fork(seed: c.seed, stream: Stream.reports | UInt64(day))
        let minimumDelay = Int64(c.reportDelayDays.lowerBound) * CivilCalendar.millisPerDay
        let delaySpan = Int64(c.reportDelayDays.upperBound - c.reportDelayDays.lowerBound) * CivilCalendar.millisPerDay + 1
        var transactions: [SimulatedTransaction] = []
        transactions.reserveCapacity(raw.count)
        for r in raw {
            let terminal = world.terminals[Int(r.terminal)]
            let timestamp = dayStart + Int64(r.millis)
            let transaction = Transaction(
                transactionID: makeTransactionID(nextIndex), cardID: world.cardIDs[Int(r.customer)],
                merchantID: world.merchantIDs[terminal.index], amount: Money(units: r.cents * 100),
                currency: c.currency, timestamp: timestamp, terminalID: world.terminalIDs[terminal.index],
                mcc: terminal.mcc, country: terminal.country, channel: terminal.channel,
                latitude: terminal.latitude, longitude: terminal.longitude)
            var reportedAt: EpochMillis?
            if r.scenario != .none {
                reportedAt = timestamp + minimumDelay + Int64(reportRandom.nextInt(below: Int(delaySpan)))
                summary.fraudsByScenario[Int(r.scenario.rawValue)] += 1
            }
            transactions.append(
                SimulatedTransaction(
                    transaction: transaction, index: nextIndex, day: day, customer: Int(r.customer),
                    terminal: terminal.index, scenario: r.scenario, reportedAt: reportedAt))
            summary.totalAmount.units += r.cents * 100
            nextIndex += 1
        }
        summary.days += 1
        summary.transactions += transactions.count
        if let first = transactions.first, summary.firstTimestamp == nil { summary.firstTimestamp = first.transaction.timestamp }
        if let last = transactions.last { summary.lastTimestamp = last.transaction.timestamp }
        return SimulatedDay(day: day, start: dayStart, transactions: transactions, compromises: compromises)
    }

    /// `tx-` and the index zero-padded to 10 digits (wider if ever needed), so that ids sort
    /// as their indices do.
    public static func transactionID(_ index: Int) -> String {
        let digits = String(index)
        return "tx-" + String(repeating: "0", count: max(0, 10 - digits.utf8.count)) + digits
    }

    mutating func makeTransactionID(_ index: Int) -> String {
        guard index < 10_000_000_000 else { return Self.transactionID(index) }
        var value = index
        var position = 12
        while position >= 3 {
            idBuffer[position] = UInt8(truncatingIfNeeded: value % 10) &+ 48
            value /= 10
            position -= 1
        }
        return String(decoding: idBuffer, as: UTF8.self)
    }

    /// `count` distinct numbers below `bound`, in draw order.
    static func distinct(_ count: Int, below bound: Int, _ random: inout DeterministicRandom) -> [Int] {
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        while chosen.count < count {
            let candidate = random.nextInt(below: bound)
            if !chosen.contains(candidate) { chosen.append(candidate) }
        }
        return chosen
    }
}

struct RawTransaction {
    var millis: Int32
    var customer: Int32
    var terminal: Int32
    var cents: Int64
    var scenario: FraudScenario
    var order: Int32
}
