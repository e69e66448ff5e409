/// What a ``RuleSet`` decided for one transaction: the action, every rule, list and
/// threshold that contributed, and the version of the rules that decided.
///
/// Outcomes are a pure function of (rules, transaction, decision): replaying history with
/// the same rules gives the same outcomes, bit for bit.
public struct RuleOutcome: Hashable, Sendable {
    /// The strongest action that applies; nil when the transaction passes.
    public var action: RuleAction?
    /// Ids of everything that matched, in this order:
    /// 1. block lists hit (`list:block_cards`, then `list:block_merchants`),
    /// 2. explicit rules whose conditions hold, in rules-file order,
    /// 3. allow lists hit (`list:allow_cards`, then `list:allow_merchants`),
    /// 4. the highest score threshold reached, if the card and merchant are not allowed:
    ///    `threshold:<segment id>:<action>`, or `threshold:default:<action>` when no segment
    ///    matched.
    ///
    /// Empty when nothing matched. An allow-list id appears without an action: it records
    /// why the score was not acted on.
    public var ruleIDs: [String]
    /// `version` of the rules file that decided (an alert's `rules_version`).
    public var rulesVersion: String
    /// The segment whose thresholds applied to the score (`default` when none matched).
    public var segmentID: String

    /// Creates an outcome.
    public init(action: RuleAction?, ruleIDs: [String], rulesVersion: String, segmentID: String) {
        self.action = action
        self.ruleIDs = ruleIDs
        self.rulesVersion = rulesVersion
        self.segmentID = segmentID
    }
}
