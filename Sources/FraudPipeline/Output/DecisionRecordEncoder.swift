import FraudRules
import FraudEngine

/// Writes decision records: one JSON object per scored transaction, to the decisions topic
/// (keyed by card), with everything needed to reproduce and explain the decision later.
///
/// Fields (every field always present, in this order):
///
/// | field | type | meaning |
/// |---|---|---|
/// | `transaction_id` | string | the scored transaction |
/// | `card_id` | string | its card (also the Kafka key) |
/// | `event_time` | string, RFC 3339 UTC ms | the transaction's event time |
/// | `source` | object | where the transaction was read: `topic` (string), `partition` (integer), `offset` (integer) |
/// | `state_version` | integer | ``Decision/stateVersion``: events the engine had processed before this one |
/// | `model_version` | string | ``ModelVersion``: `engine-<config fingerprint>-v<state_version>` |
/// | `rules_version` | string | version of the rules that decided the action |
/// | `score` | number in [0, 1] | fused score |
/// | `components` | object | `model_probability`, `anomaly`, both numbers in [0, 1] |
/// | `action` | string or null | `alert`, `review`, `block`, or null when the rules took no action |
/// | `alert_id` | string or null | the id of the alert emitted for this decision (see ``AlertID``), null without action |
/// | `rule_ids` | array of strings | what matched, in the rules' precedence order (see FraudRules' `RuleOutcome`; may be non-empty without action, e.g. allow lists) |
/// | `reasons` | array of `{code, contribution}` | top reason codes, largest contribution first |
/// | `processed_at` | string, RFC 3339 UTC ms | wall-clock processing time |
///
/// To reproduce a decision: restore the engine state at `state_version` (replay the input
/// topics from a checkpoint up to `source`), score the transaction at `source`, evaluate
/// the rules of `rules_version`.
public struct DecisionRecordEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the record to `out` (which is not cleared).
    public func encode(
        decision: Decision, verdict: RuleOutcome, modelVersion: ModelVersion, sourceTopic: String,
        sourcePartition: Int32, sourceOffset: Int64, processedAt: Int64, into out: inout [UInt8]
    ) {
        JSONOutput.raw("{", to: &out)
        JSONOutput.key("transaction_id", to: &out, first: true)
        JSONOutput.string(decision.transactionID, to: &out)
        JSONOutput.key("card_id", to: &out)
        JSONOutput.string(decision.cardID, to: &out)
        JSONOutput.key("event_time", to: &out)
        JSONOutput.timestamp(decision.eventTime, to: &out)
        JSONOutput.key("source", to: &out)
        JSONOutput.raw("{", to: &out)
        JSONOutput.key("topic", to: &out, first: true)
        JSONOutput.string(sourceTopic, to: &out)
        JSONOutput.key("partition", to: &out)
        JSONOutput.integer(Int64(sourcePartition), to: &out)
        JSONOutput.key("offset", to: &out)
        JSONOutput.integer(sourceOffset, to: &out)
        JSONOutput.raw("}", to: &out)
        JSONOutput.key("state_version", to: &out)
        JSONOutput.unsigned(decision.stateVersion, to: &out)
        JSONOutput.key("model_version", to: &out)
        modelVersion.append(stateVersion: decision.stateVersion, to: &out)
        JSONOutput.key("rules_version", to: &out)
        JSONOutput.string(verdict.rulesVersion.isEmpty ? "unversioned" : verdict.rulesVersion, to: &out)
        JSONOutput.key("score", to: &out)
        JSONOutput.unitInterval(decision.score, to: &out)
        JSONOutput.key("components", to: &out)
        JSONOutput.raw("{", to: &out)
        JSONOutput.key("model_probability", to: &out, first: true)
        JSONOutput.unitInterval(decision.modelProbability, to: &out)
        JSONOutput.key("anomaly", to: &out)
        JSONOutput.unitInterval(decision.anomaly, to: &out)
        JSONOutput.raw("}", to: &out)
        JSONOutput.key("action", to: &out)
        if let action = verdict.action {
            JSONOutput.string(action.rawValue, to: &out)
            JSONOutput.key("alert_id", to: &out)
            out.append(UInt8(ascii: "\""))
            AlertID.append(transactionID: decision.transactionID, to: &out)
            out.append(UInt8(ascii: "\""))
        } else {
            JSONOutput.raw("null", to: &out)
            JSONOutput.key("alert_id", to: &out)
            JSONOutput.raw("null", to: &out)
        }
        JSONOutput.key("rule_ids", to: &out)
        JSONOutput.strings(verdict.ruleIDs, to: &out)
        JSONOutput.key("reasons", to: &out)
        JSONOutput.reasons(decision.reasons, to: &out)
        JSONOutput.key("processed_at", to: &out)
        JSONOutput.timestamp(processedAt, to: &out)
        JSONOutput.raw("}", to: &out)
    }
}
