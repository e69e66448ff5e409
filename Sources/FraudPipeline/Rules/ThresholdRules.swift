import FraudEngine

/// Built-in rules: score thresholds per action, a card block list and amount rules.
///
/// Ids follow the FraudRules conventions: `list:block_cards` for a block-listed card, the
/// rule's own id for an amount rule, `threshold:default:<action>` for the highest score
/// threshold reached. The action is the strongest that applies.
public struct ThresholdRules: AlertRules {
    /// One "amount at or above" rule.
    public struct AmountRule: Sendable, Hashable {
        /// Rule id (reported in `rule_ids`).
        public var id: String
        /// The rule matches when the amount is at least this (in the transaction's currency).
        public var minimumAmount: Money
        /// The action when it matches.
        public var action: AlertAction

        /// Creates a rule.
        public init(id: String, minimumAmount: Money, action: AlertAction) {
            self.id = id
            self.minimumAmount = minimumAmount
            self.action = action
        }
    }

    /// The rules version.
    public var version: String
    /// Score at or above which the action is review; nil: never from the score.
    public var review: Double?
    /// Score at or above which the action is alert.
    public var alert: Double?
    /// Score at or above which the action is block.
    public var block: Double?
    /// Cards always blocked.
    public var blockedCards: Set<String>
    /// Amount rules, in order.
    public var amountRules: [AmountRule]

    /// Creates rules. The defaults act on the score only: review ≥ 0.5, alert ≥ 0.7, block ≥ 0.9.
    public init(
        version: String = "builtin-1", review: Double? = 0.5, alert: Double? = 0.7, block: Double? = 0.9,
        blockedCards: Set<String> = [], amountRules: [AmountRule] = []
    ) {
        self.version = version
        self.review = review
        self.alert = alert
        self.block = block
        self.blockedCards = blockedCards
        self.amountRules = amountRules
    }

    /// See ``AlertRules/evaluate(transaction:decision:)``.
    public func evaluate(transaction: Transaction, decision: Decision) -> RulesVerdict {
        var action: AlertAction?
        var ids: [String] = []
        func apply(_ a: AlertAction, _ id: String) {
            ids.append(id)
            if action == nil || a > action! { action = a }
        }
        if !blockedCards.isEmpty, blockedCards.contains(transaction.cardID) { apply(.block, "list:block_cards") }
        for rule in amountRules where transaction.amount >= rule.minimumAmount { apply(rule.action, rule.id) }
        let score = decision.score
        if let block, score >= block {
            apply(.block, "threshold:default:block")
        } else if let alert, score >= alert {
            apply(.alert, "threshold:default:alert")
        } else if let review, score >= review {
            apply(.review, "threshold:default:review")
        }
        return RulesVerdict(action: action, ruleIDs: ids, rulesVersion: version)
    }
}
