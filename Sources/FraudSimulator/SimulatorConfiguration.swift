import FraudEngine

/// Parameters of the transaction simulator. The defaults are the ULB fraud-detection
/// handbook's: 5,000 customers, 10,000 terminals, 183 days, radius 5, fraud scenarios
/// (220, 2 terminals × 28 days, 3 cards × 14 days × ⅓ × 5).
public struct SimulatorConfiguration: Hashable, Sendable {
    /// Number of customers (one card each). Default 5,000.
    public var customers: Int = 5_000
    /// Number of terminals. Default 10,000.
    public var terminals: Int = 10_000
    /// Number of simulated days. Default 183.
    public var days: Int = 183
    /// Event time of the start of day 0, epoch ms. Default 2026-04-01T00:00:00Z.
    public var start: EpochMillis = 1_775_001_600_000
    /// Seed of every random draw. Default 1.
    public var seed: UInt64 = 1
    /// Currency of every amount. Default EUR.
    public var currency: CurrencyCode = CurrencyCode("EUR")!

    /// Side of the square grid customers and terminals live on. Default 100.
    public var gridSize: Double = 100
    /// A customer uses the terminals strictly closer than this. Default 5.
    public var radius: Double = 5
    /// Customers' mean amounts are drawn uniformly from this range; std = mean / 2.
    public var meanAmountRange: ClosedRange<Double> = 5...100
    /// Customers' mean transactions per day are drawn uniformly from this range.
    public var transactionsPerDayRange: ClosedRange<Double> = 0...4
    /// Standard deviation of the time of day around noon, in seconds. Default 20,000.
    public var timeOfDayStandardDeviation: Double = 20_000

    /// Scenario 1: amounts strictly above this are fraud. Default 220.
    public var largeAmountThreshold: Money = Money(whole: 220)
    /// Scenario 2: terminals compromised each day. Default 2.
    public var compromisedTerminalsPerDay: Int = 2
    /// Scenario 2: days a terminal stays compromised, the day of compromise included. Default 28.
    public var terminalCompromiseDays: Int = 28
    /// Scenario 3: cards compromised each day. Default 3.
    public var compromisedCardsPerDay: Int = 3
    /// Scenario 3: days a card stays compromised, the day of compromise included. Default 14.
    public var cardCompromiseDays: Int = 14
    /// Scenario 3: share of a compromised card's transactions that are fraud. Default ⅓.
    public var compromisedCardFraudShare: Double = 1.0 / 3.0
    /// Scenario 3: the amount of those transactions is multiplied by this. Default 5.
    public var compromisedCardAmountMultiplier: Int64 = 5

    /// Fraud reports arrive uniformly between these many days after the transaction
    /// (millisecond resolution, both ends included). Default 1...14.
    public var reportDelayDays: ClosedRange<Int> = 1...14
    /// Consecutive terminal numbers that belong to one merchant (`merchant-<terminal / k>`).
    /// Default 5.
    public var terminalsPerMerchant: Int = 5
    /// The geographic box the grid is drawn on: x maps to longitude, y to latitude.
    /// Default: a box around Belgium (2.55°E–6.40°E, 49.50°N–51.50°N), so one grid unit is
    /// about 2.7 km east–west and 2.2 km north–south, and the radius of 5 about 12 km.
    public var longitudeRange: ClosedRange<Double> = 2.55...6.40
    /// See ``longitudeRange``.
    public var latitudeRange: ClosedRange<Double> = 49.50...51.50

    /// The handbook's defaults.
    public init() {}

    /// The handbook's defaults with the common overrides.
    public init(customers: Int = 5_000, terminals: Int = 10_000, days: Int = 183, start: EpochMillis = 1_775_001_600_000, seed: UInt64 = 1) {
        self.customers = customers
        self.terminals = terminals
        self.days = days
        self.start = start
        self.seed = seed
    }

    /// The default configuration.
    public static var `default`: SimulatorConfiguration { SimulatorConfiguration() }

    /// Checks every parameter, naming the first one out of range.
    public func validate() throws(SimulatorConfigurationError) {
        func fail(_ parameter: String, _ reason: String) -> SimulatorConfigurationError {
            SimulatorConfigurationError(parameter: parameter, reason: reason)
        }
        guard customers > 0 else { throw fail("customers", "must be at least 1, got \(customers)") }
        guard customers <= 10_000_000 else { throw fail("customers", "must be at most 10,000,000, got \(customers)") }
        guard terminals > 0 else { throw fail("terminals", "must be at least 1, got \(terminals)") }
        guard terminals <= 10_000_000 else { throw fail("terminals", "must be at most 10,000,000, got \(terminals)") }
        guard days > 0 else { throw fail("days", "must be at least 1, got \(days)") }
        guard days <= 36_500 else { throw fail("days", "must be at most 36,500, got \(days)") }
        guard gridSize > 0, gridSize.isFinite else { throw fail("gridSize", "must be positive") }
        guard radius > 0, radius.isFinite else { throw fail("radius", "must be positive") }
        guard meanAmountRange.lowerBound > 0, meanAmountRange.upperBound.isFinite else {
            throw fail("meanAmountRange", "must be positive and finite")
        }
        guard transactionsPerDayRange.lowerBound >= 0, transactionsPerDayRange.upperBound <= 1_000 else {
            throw fail("transactionsPerDayRange", "must lie within 0...1000")
        }
        guard timeOfDayStandardDeviation > 0, timeOfDayStandardDeviation.isFinite else {
            throw fail("timeOfDayStandardDeviation", "must be positive")
        }
        guard largeAmountThreshold.units > 0 else { throw fail("largeAmountThreshold", "must be positive") }
        guard compromisedTerminalsPerDay >= 0, compromisedTerminalsPerDay <= terminals else {
            throw fail("compromisedTerminalsPerDay", "must lie within 0...terminals")
        }
        guard terminalCompromiseDays >= 1 else { throw fail("terminalCompromiseDays", "must be at least 1") }
        guard compromisedCardsPerDay >= 0, compromisedCardsPerDay <= customers else {
            throw fail("compromisedCardsPerDay", "must lie within 0...customers")
        }
        guard cardCompromiseDays >= 1 else { throw fail("cardCompromiseDays", "must be at least 1") }
        guard (0...1).contains(compromisedCardFraudShare) else {
            throw fail("compromisedCardFraudShare", "must lie within 0...1")
        }
        guard compromisedCardAmountMultiplier >= 1 else { throw fail("compromisedCardAmountMultiplier", "must be at least 1") }
        guard reportDelayDays.lowerBound >= 0, reportDelayDays.upperBound <= 3_650 else {
            throw fail("reportDelayDays", "must lie within 0...3650, got \(reportDelayDays)")
        }
        guard terminalsPerMerchant >= 1 else { throw fail("terminalsPerMerchant", "must be at least 1") }
        guard (-180...180).contains(longitudeRange.lowerBound), (-180...180).contains(longitudeRange.upperBound) else {
            throw fail("longitudeRange", "must lie within -180...180")
        }
        guard (-90...90).contains(latitudeRange.lowerBound), (-90...90).contains(latitudeRange.upperBound) else {
            throw fail("latitudeRange", "must lie within -90...90")
        }
        let end = Int64(days) * CivilCalendar.millisPerDay + Int64(reportDelayDays.upperBound + 1) * CivilCalendar.millisPerDay
        guard DecoderLimits.default.timestampRange.contains(start),
              DecoderLimits.default.timestampRange.contains(start + end)
        else {
            throw fail("start", "the simulated period and its reports must lie within 2000–2100")
        }
    }
}

/// A simulator parameter out of range.
public struct SimulatorConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The parameter's name, e.g. `customers`.
    public var parameter: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(parameter: String, reason: String) {
        self.parameter = parameter
        self.reason = reason
    }

    /// `customers: must be at least 1, got 0`.
    public var description: String { "\(parameter): \(reason)" }
}
