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
        JSONOutput.raw("{", to: &out)
        JSONOutput.key("alert_id", to: &out, first: true)
        out.append(UInt8(ascii: "\""))
        AlertID.append(transactionID: decision.transactionID, to: &out)
        out.append(UInt8(ascii: "\""))
        JSONOutput.key("transaction_id", to: &out)
        JSONOutput.string(decision.transactionID, to: &out)
        JSONOutput.key("card_id", to: &out)
        JSONOutput.string(decision.cardID, to: &out)
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
        JSONOutput.string(action.rawValue, to: &out)
        JSONOutput.key("rule_ids", to: &out)
        JSONOutput.strings(uniqued(verdict.ruleIDs), to: &out)
        JSONOutput.key("reasons", to: &out)
        JSONOutput.reasons(decision.reasons, to: &out)
        JSONOutput.key("model_version", to: &out)
        modelVersion.append(stateVersion: decision.stateVersion, to: &out)
        JSONOutput.key("rules_version", to: &out)
        JSONOutput.string(verdict.rulesVersion.isEmpty ? "unversioned" : verdict.rulesVersion, to: &out)
        JSONOutput.key("event_time", to: &out)
        JSONOutput.timestamp(decision.eventTime, to: &out)
        JSONOutput.key("processed_at", to: &out)
        JSONOutput.timestamp(processedAt, to: &out)
        JSONOutput.raw("}", to: &out)
    }

    /// The contract requires unique rule ids; keep the first of any repeat.
    private func uniqued(_ ids: [String]) -> [String] {
        guard ids.count > 1 else { return ids }
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
