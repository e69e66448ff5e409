/// What the rules decided for a transaction (an alert's `action`).
public enum AlertAction: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Notify.
    case alert
    /// Queue for an analyst.
    case review
    /// Decline.
    case block

    /// review < alert < block.
    public var severity: Int {
        switch self {
        case .review: 1
        case .alert: 2
        case .block: 3
        }
    }

    /// Orders by ``severity``.
    public static func < (lhs: AlertAction, rhs: AlertAction) -> Bool { lhs.severity < rhs.severity }
}
