import FraudRules
import FraudEngine

/// Writes alerts as JSON per `schemas/alert.schema.json` (every field always present, no
/// other field), byte by byte into a reusable buffer.
public struct AlertEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the alert for `decision` of `transactionID`/`cardID` to `out` (which is not cleared).
    ///
    /// - Parameters:
    ///   - action: the rules' action (an alert exists only when there is one).
    ///   - processedAt: wall-clock milliseconds at which the transaction was processed.
    public func encode(
        decision: Decision, action: RuleAction, verdict: RuleOutcome, modelVersion: ModelVersion,
        processedAt: Int64, into out: inout [UInt8]
    ) {
        JSONByteWriter.appendRaw("{", to: &out)
        JSONByteWriter.appendKey("alert_id", to: &out, first: true)
        OutputFields.appendAlertID(decision.transactionID, to: &out)
        JSONByteWriter.appendKey("transaction_id", to: &out)
        JSONByteWriter.appendString(decision.transactionID, to: &out)
        JSONByteWriter.appendKey("card_id", to: &out)
        JSONByteWriter.appendString(decision.cardID, to: &out)
        OutputFields.appendScore(decision, to: &out)
        JSONByteWriter.appendKey("action", to: &out)
        JSONByteWriter.appendString(action.rawValue, to: &out)
        JSONByteWriter.appendKey("rule_ids", to: &out)
        JSONByteWriter.appendStrings(verdict.ruleIDs, to: &out)
        JSONByteWriter.appendKey("reasons", to: &out)
        JSONByteWriter.appendReasons(decision.reasons, to: &out)
        JSONByteWriter.appendKey("model_version", to: &out)
        modelVersion.append(stateVersion: decision.stateVersion, to: &out)
        JSONByteWriter.appendKey("rules_version", to: &out)
        OutputFields.appendRulesVersion(verdict, to: &out)
        JSONByteWriter.appendKey("event_time", to: &out)
        JSONByteWriter.appendTimestamp(decision.eventTime, to: &out)
        JSONByteWriter.appendKey("processed_at", to: &out)
        JSONByteWriter.appendTimestamp(processedAt, to: &out)
        JSONByteWriter.appendRaw("}", to: &out)
    }
}
