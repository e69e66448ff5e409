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
    /// - Parameter reasons: the decision's reasons when they are kept elsewhere (a replay
    ///   batch keeps every decision's reasons in one array); nil: `decision.reasons`.
    public func encode(
        decision: Decision, transaction: Transaction, verdict: RuleOutcome, modelVersion: ModelVersion,
        run: String, source: InputPosition, labelsBefore: [InputPosition], processedAt: Int64,
        reasons: ArraySlice<ReasonCode>? = nil, into out: inout [UInt8]
    ) {
        let rulesVersion = OutputFields.rulesVersion(verdict)
        let reasons = reasons ?? decision.reasons[...]
        var bound = OutputFields.sharedBound(
            decision, verdict, rulesVersion: rulesVersion, modelVersion: modelVersion, fixed: 400, reasons: reasons)
        bound += JSONCursor.stringBound(transaction.channel?.utf8.count ?? 4)
        bound += JSONCursor.stringBound(transaction.country?.utf8.count ?? 4)
        bound += Self.bound(source) + JSONCursor.stringBound(run.utf8.count) + 2 * (JSONCursor.numberBound + 2)
        for position in labelsBefore { bound += Self.bound(position) + 1 }
        JSONByteWriter.write(into: &out, maxBytes: bound) { out in
            out.byte(UInt8(ascii: "{"))
            out.key("transaction_id", first: true)
            out.string(decision.transactionID)
            out.key("card_id")
            out.string(decision.cardID)
            out.key("event_time")
            out.timestamp(decision.eventTime)
            out.key("amount")
            out.money(transaction.amount)
            out.key("currency")
            out.string(transaction.currency.description)
            out.key("channel")
            Self.optional(transaction.channel, to: &out)
            out.key("country")
            Self.optional(transaction.country, to: &out)
            out.key("source")
            Self.write(source, to: &out)
            out.key("run")
            out.string(run)
            out.key("state_version")
            out.unsigned(decision.stateVersion)
            out.key("labels_before")
            out.byte(UInt8(ascii: "["))
            for (i, position) in labelsBefore.enumerated() {
                if i > 0 { out.byte(UInt8(ascii: ",")) }
                Self.write(position, to: &out)
            }
            out.byte(UInt8(ascii: "]"))
            out.key("model_version")
            modelVersion.write(stateVersion: decision.stateVersion, to: &out)
            out.key("rules_version")
            out.string(rulesVersion)
            OutputFields.score(decision, to: &out)
            out.key("action")
            if let action = verdict.action {
                out.string(action.rawValue)
                out.key("alert_id")
                OutputFields.alertID(decision.transactionID, to: &out)
            } else {
                out.raw("null")
                out.key("alert_id")
                out.raw("null")
            }
            out.key("rule_ids")
            out.strings(verdict.ruleIDs)
            out.key("reasons")
            out.reasons(reasons)
            out.key("processed_at")
            out.timestamp(processedAt)
            out.byte(UInt8(ascii: "}"))
        }
    }

    private static func bound(_ position: InputPosition) -> Int {
        40 + JSONCursor.stringBound(position.topic.utf8.count) + 2 * JSONCursor.numberBound
    }

    private static func write(_ position: InputPosition, to out: inout JSONCursor) {
        out.byte(UInt8(ascii: "{"))
        out.key("topic", first: true)
        out.string(position.topic)
        out.key("partition")
        out.integer(Int64(position.partition))
        out.key("offset")
        out.integer(position.offset)
        out.byte(UInt8(ascii: "}"))
    }

    private static func optional(_ value: String?, to out: inout JSONCursor) {
        if let value { out.string(value) } else { out.raw("null") }
    }
}
