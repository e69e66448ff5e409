/// An explicit rule: when all its conditions hold, its action applies and its id is
/// reported, whatever the score thresholds say (allow lists do not suppress rules; add
/// `card_not_in: allow_cards` to a rule that should spare allowed cards).
public struct Rule: Hashable, Sendable {
    /// Unique among rules; reported in an alert's `rule_ids`.
    public var id: String
    /// Free text for people.
    public var description: String?
    /// The action when the rule holds.
    public var action: RuleAction
    /// The conditions, all of which must hold.
    public var when: RuleConditions

    /// Creates a rule.
    public init(id: String, description: String? = nil, action: RuleAction, when: RuleConditions) {
        self.id = id
        self.description = description
        self.action = action
        self.when = when
    }
}
