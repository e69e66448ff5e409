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
    ///   - reasons: the decision's reasons when they are kept elsewhere (the live processor
    ///     keeps a batch's reasons in one array); nil: `decision.reasons`.
    public func encode(
        decision: Decision, action: RuleAction, verdict: RuleOutcome, modelVersion: ModelVersion,
        processedAt: Int64, reasons: ArraySlice<ReasonCode>? = nil, into out: inout [UInt8]
    ) {
        let rulesVersion = OutputFields.rulesVersion(verdict)
        let reasons = reasons ?? decision.reasons[...]
        let bound =
            OutputFields.sharedBound(
                decision, verdict, rulesVersion: rulesVersion, modelVersion: modelVersion, fixed: 200, reasons: reasons)
            + JSONCursor.stringBound(action.rawValue.utf8.count)
        JSONByteWriter.write(into: &out, maxBytes: bound) { out in
            out.byte(UInt8(ascii: "{"))
            out.key("alert_id", first: true)
            OutputFields.alertID(decision.transactionID, to: &out)
            out.key("transaction_id")
            out.string(decision.transactionID)
            out.key("card_id")
            out.string(decision.cardID)
            OutputFields.score(decision, to: &out)
            out.key("action")
            out.string(action.rawValue)
            out.key("rule_ids")
            out.strings(verdict.ruleIDs)
            out.key("reasons")
            out.reasons(reasons)
            out.key("model_version")
            modelVersion.write(stateVersion: decision.stateVersion, to: &out)
            out.key("rules_version")
            out.string(rulesVersion)
            out.key("event_time")
            out.timestamp(decision.eventTime)
            out.key("processed_at")
            out.timestamp(processedAt)
            out.byte(UInt8(ascii: "}"))
        }
    }
}
