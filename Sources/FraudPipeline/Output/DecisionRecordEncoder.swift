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
        JSONByteWriter.appendRaw("{", to: &out)
        JSONByteWriter.appendKey("transaction_id", to: &out, first: true)
        JSONByteWriter.appendString(decision.transactionID, to: &out)
        JSONByteWriter.appendKey("card_id", to: &out)
        JSONByteWriter.appendString(decision.cardID, to: &out)
        JSONByteWriter.appendKey("event_time", to: &out)
        JSONByteWriter.appendTimestamp(decision.eventTime, to: &out)
        JSONByteWriter.appendKey("source", to: &out)
        JSONByteWriter.appendRaw("{", to: &out)
        JSONByteWriter.appendKey("topic", to: &out, first: true)
        JSONByteWriter.appendString(sourceTopic, to: &out)
        JSONByteWriter.appendKey("partition", to: &out)
        JSONByteWriter.appendInteger(Int64(sourcePartition), to: &out)
        JSONByteWriter.appendKey("offset", to: &out)
        JSONByteWriter.appendInteger(sourceOffset, to: &out)
        JSONByteWriter.appendRaw("}", to: &out)
        JSONByteWriter.appendKey("state_version", to: &out)
        JSONByteWriter.appendUnsigned(decision.stateVersion, to: &out)
        JSONByteWriter.appendKey("model_version", to: &out)
        modelVersion.append(stateVersion: decision.stateVersion, to: &out)
        JSONByteWriter.appendKey("rules_version", to: &out)
        OutputFields.appendRulesVersion(verdict, to: &out)
        OutputFields.appendScore(decision, to: &out)
        JSONByteWriter.appendKey("action", to: &out)
        if let action = verdict.action {
            JSONByteWriter.appendString(action.rawValue, to: &out)
            JSONByteWriter.appendKey("alert_id", to: &out)
            OutputFields.appendAlertID(decision.transactionID, to: &out)
        } else {
            JSONByteWriter.appendRaw("null", to: &out)
            JSONByteWriter.appendKey("alert_id", to: &out)
            JSONByteWriter.appendRaw("null", to: &out)
        }
        JSONByteWriter.appendKey("rule_ids", to: &out)
        JSONByteWriter.appendStrings(verdict.ruleIDs, to: &out)
        JSONByteWriter.appendKey("reasons", to: &out)
        JSONByteWriter.appendReasons(decision.reasons, to: &out)
        JSONByteWriter.appendKey("processed_at", to: &out)
        JSONByteWriter.appendTimestamp(processedAt, to: &out)
        JSONByteWriter.appendRaw("}", to: &out)
    }
}
