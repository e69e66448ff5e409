/// Why the simulator made a transaction fraudulent: the handbook's three scenarios.
///
/// When several scenarios apply to one transaction, the last one in the handbook's order
/// wins (a compromised card's transaction on a compromised terminal counts as scenario 3),
/// exactly as the handbook's `TX_FRAUD_SCENARIO` column does.
public enum FraudScenario: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Legitimate.
    case none = 0
    /// Scenario 1: any amount above the threshold (220) is fraud.
    case largeAmount = 1
    /// Scenario 2: every transaction on a compromised terminal (28 days) is fraud.
    case compromisedTerminal = 2
    /// Scenario 3: a third of a compromised card's transactions (14 days), amount ×5.
    case compromisedCard = 3

    /// Stable snake_case name used in `truth.ndjson` and `summary.json`.
    public var name: String {
        switch self {
        case .none: "none"
        case .largeAmount: "large_amount"
        case .compromisedTerminal: "compromised_terminal"
        case .compromisedCard: "compromised_card"
        }
    }

    /// The name.
    public var description: String { name }
}
