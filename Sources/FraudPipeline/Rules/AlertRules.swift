import FraudEngine

/// Decides the action for a scored transaction. The processor calls it once per decision,
/// on its processing task; implementations must be pure functions of their own (immutable)
/// state, the transaction and the decision, so replays reproduce the live actions.
///
/// ``ThresholdRules`` is the built-in implementation; a FraudRules `RuleSet` is adapted to
/// this protocol where the processor is assembled (the `run` command).
public protocol AlertRules: Sendable {
    /// The version every verdict carries (an alert's `rules_version`).
    var version: String { get }
    /// The action (or none) for `transaction` scored as `decision`.
    func evaluate(transaction: Transaction, decision: Decision) -> RulesVerdict
}
