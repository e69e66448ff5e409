/// What the engine did with one label.
public enum LabelOutcome: Sendable, Equatable, Hashable, CaseIterable {
    /// A fraud report joined to the features the transaction had when scored, learned as fraud.
    /// (Under ``LabelPolicy/presumeLegitimateAtOnce`` this overrides the presumed negative.)
    case learnedFraud
    /// An explicit "legitimate" label joined to its features and learned as legitimate
    /// (the policy had not learned it as legitimate yet).
    case learnedLegitimate
    /// An explicit "legitimate" label for a transaction the policy had already learned as
    /// legitimate: nothing more to learn.
    case confirmedLegitimate
    /// An explicit label contradicting an earlier explicit label for the same transaction
    /// (legitimate after fraud, or fraud after an explicit legitimate): learned with the new class.
    case corrected
    /// The same label as one already applied to this transaction: ignored.
    case duplicate
    /// No features are buffered for this transaction (never scored here, or evicted from the
    /// pending buffer). Counted, not fatal. A fraud report still counts against its card
    /// when the label names the card.
    case unknownTransaction

    /// Stable snake_case name for metrics.
    public var name: String {
        switch self {
        case .learnedFraud: "learned_fraud"
        case .learnedLegitimate: "learned_legitimate"
        case .confirmedLegitimate: "confirmed_legitimate"
        case .corrected: "corrected"
        case .duplicate: "duplicate"
        case .unknownTransaction: "unknown_transaction"
        }
    }
}
