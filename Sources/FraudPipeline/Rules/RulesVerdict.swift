/// The rules' answer for one scored transaction.
public struct RulesVerdict: Sendable, Hashable {
    /// The action to take; nil when the transaction passes (no alert, still a decision record).
    public var action: AlertAction?
    /// Ids of the matched rules, in rules-file order (an alert's `rule_ids`).
    public var ruleIDs: [String]
    /// Version of the rules that decided (an alert's `rules_version`).
    public var rulesVersion: String

    /// Creates a verdict.
    public init(action: AlertAction?, ruleIDs: [String], rulesVersion: String) {
        self.action = action
        self.ruleIDs = ruleIDs
        self.rulesVersion = rulesVersion
    }
}
