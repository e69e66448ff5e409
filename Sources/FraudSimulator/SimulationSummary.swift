import FraudEngine

/// Counts of what a simulation produced so far.
public struct SimulationSummary: Hashable, Sendable {
    /// Days simulated.
    public var days = 0
    /// Transactions generated.
    public var transactions = 0
    /// Frauds by scenario: index 1 = large amount, 2 = compromised terminal, 3 = compromised card.
    public var fraudsByScenario: [Int] = [0, 0, 0, 0]
    /// Terminals compromised (draws, a terminal drawn twice counts twice).
    public var compromisedTerminals = 0
    /// Cards compromised (draws).
    public var compromisedCards = 0
    /// Customers with no terminal within the radius (they never transact).
    public var customersWithoutTerminals = 0
    /// Earliest transaction time, epoch ms.
    public var firstTimestamp: EpochMillis?
    /// Latest transaction time, epoch ms.
    public var lastTimestamp: EpochMillis?
    /// Sum of all amounts.
    public var totalAmount = Money(units: 0)

    /// Creates an empty summary.
    public init() {}

    /// Frauds of one scenario.
    public func frauds(_ scenario: FraudScenario) -> Int { fraudsByScenario[Int(scenario.rawValue)] }
    /// All frauds (= fraud reports).
    public var frauds: Int { fraudsByScenario[1] + fraudsByScenario[2] + fraudsByScenario[3] }
    /// Share of transactions that are fraud (0 when there is none).
    public var fraudRate: Double { transactions == 0 ? 0 : Double(frauds) / Double(transactions) }
}
