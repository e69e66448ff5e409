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
/// | `amount` | number | the transaction's amount, the exact decimal |
/// | `currency` | string | its ISO 4217 currency |
/// | `channel` | string or null | its channel |
/// | `country` | string or null | its country |
/// | `source` | object | where the transaction was read: `topic` (string), `partition` (integer), `offset` (integer) |
/// | `run` | string | ``ProcessorRun/id`` of the processor run (or replay) whose engine decided |
/// | `state_version` | integer | ``Decision/stateVersion``: events the engine had processed before this one |
/// | `labels_before` | array of `{topic, partition, offset}` | the labels the engine applied since the run's previous decision, in order: with the decisions they make the run's whole event sequence (state versions `state_version - count` to `state_version - 1`) |
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
/// To reproduce a decision: restore a checkpoint of the same run (or of its origin) taken at
/// or before `state_version`, apply the run's events from there in state-version order (each
/// decision's `labels_before`, then its transaction at `source`), score the transaction at
/// `source`, and evaluate the rules of `rules_version`. `fraudstream audit` does exactly that.
public struct DecisionRecordEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the record to `out` (which is not cleared).
    public func encode(
        decision: Decision, transaction: Transaction, verdict: RuleOutcome, modelVersion: ModelVersion,
        run: String, source: InputPosition, labelsBefore: [InputPosition], processedAt: Int64,
        into out: inout [UInt8]
    ) {
        JSONByteWriter.appendRaw("{", to: &out)
        JSONByteWriter.appendKey("transaction_id", to: &out, first: true)
        JSONByteWriter.appendString(decision.transactionID, to: &out)
        JSONByteWriter.appendKey("card_id", to: &out)
        JSONByteWriter.appendString(decision.cardID, to: &out)
        JSONByteWriter.appendKey("event_time", to: &out)
        JSONByteWriter.appendTimestamp(decision.eventTime, to: &out)
        JSONByteWriter.appendKey("amount", to: &out)
        JSONByteWriter.appendMoney(transaction.amount, to: &out)
        JSONByteWriter.appendKey("currency", to: &out)
        JSONByteWriter.appendString(transaction.currency.description, to: &out)
        JSONByteWriter.appendKey("channel", to: &out)
        Self.appendOptional(transaction.channel, to: &out)
        JSONByteWriter.appendKey("country", to: &out)
        Self.appendOptional(transaction.country, to: &out)
        JSONByteWriter.appendKey("source", to: &out)
        Self.append(source, to: &out)
        JSONByteWriter.appendKey("run", to: &out)
        JSONByteWriter.appendString(run, to: &out)
        JSONByteWriter.appendKey("state_version", to: &out)
        JSONByteWriter.appendUnsigned(decision.stateVersion, to: &out)
        JSONByteWriter.appendKey("labels_before", to: &out)
        JSONByteWriter.appendRaw("[", to: &out)
        for (i, position) in labelsBefore.enumerated() {
            if i > 0 { JSONByteWriter.appendRaw(",", to: &out) }
            Self.append(position, to: &out)
        }
        JSONByteWriter.appendRaw("]", to: &out)
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

    private static func append(_ position: InputPosition, to out: inout [UInt8]) {
        JSONByteWriter.appendRaw("{", to: &out)
        JSONByteWriter.appendKey("topic", to: &out, first: true)
        JSONByteWriter.appendString(position.topic, to: &out)
        JSONByteWriter.appendKey("partition", to: &out)
        JSONByteWriter.appendInteger(Int64(position.partition), to: &out)
        JSONByteWriter.appendKey("offset", to: &out)
        JSONByteWriter.appendInteger(position.offset, to: &out)
        JSONByteWriter.appendRaw("}", to: &out)
    }

    private static func appendOptional(_ value: String?, to out: inout [UInt8]) {
        if let value { JSONByteWriter.appendString(value, to: &out) } else { JSONByteWriter.appendRaw("null", to: &out) }
    }
}
