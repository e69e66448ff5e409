/// What the rules decide for a transaction, weakest first: review (queue for an analyst),
/// alert (notify), block (decline). No action at all (`nil` where an action is optional)
/// means the transaction passes.
///
/// When several rules, lists or thresholds apply to one transaction, the strongest action
/// wins: block > alert > review.
public enum RuleAction: String, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Queue the transaction for an analyst.
    case review
    /// Notify (emit an alert) but let the payment through.
    case alert
    /// Decline the payment.
    case block

    /// 1 for review, 2 for alert, 3 for block.
    @inlinable public var severity: Int {
        switch self {
        case .review: 1
        case .alert: 2
        case .block: 3
        }
    }

    /// The action of a severity (1, 2, 3); nil for anything else (0 = no action).
    @inlinable public init?(severity: Int) {
        switch severity {
        case 1: self = .review
        case 2: self = .alert
        case 3: self = .block
        default: return nil
        }
    }

    /// `review`, `alert` or `block`, as written in rules files and alerts.
    public var description: String { rawValue }

    public static func < (lhs: RuleAction, rhs: RuleAction) -> Bool { lhs.severity < rhs.severity }
}
