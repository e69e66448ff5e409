import FraudEngine
import FraudRules

/// Fields that alerts and decision records share, written the same way in both.
enum OutputFields {
    /// Worst-case size of ``score(_:to:)``.
    static let scoreBound = 80 + 3 * JSONCursor.numberBound

    /// Writes `"score":…,"components":{"model_probability":…,"anomaly":…}`.
    static func score(_ decision: Decision, to out: inout JSONCursor) {
        out.key("score")
        out.unitInterval(decision.score)
        out.key("components")
        out.byte(UInt8(ascii: "{"))
        out.key("model_probability", first: true)
        out.unitInterval(decision.modelProbability)
        out.key("anomaly")
        out.unitInterval(decision.anomaly)
        out.byte(UInt8(ascii: "}"))
    }

    /// Worst-case size of ``alertID(_:to:)``.
    static let alertIDBound = AlertID.length + 2

    /// Writes the alert id of `transactionID` as a JSON string.
    static func alertID(_ transactionID: String, to out: inout JSONCursor) {
        out.byte(UInt8(ascii: "\""))
        AlertID.write(transactionID: transactionID, to: &out)
        out.byte(UInt8(ascii: "\""))
    }

    /// Worst-case size of what alerts and decision records both hold: ids, alert id, score
    /// and components, model and rules versions, rule ids, reasons, two timestamps, and
    /// `fixed` bytes of keys and punctuation for the rest.
    static func sharedBound(
        _ decision: Decision, _ verdict: RuleOutcome, rulesVersion: String, modelVersion: ModelVersion, fixed: Int,
        reasons: ArraySlice<ReasonCode>? = nil
    ) -> Int {
        fixed + alertIDBound + scoreBound + modelVersion.bound
            + JSONCursor.stringBound(decision.transactionID.utf8.count) + JSONCursor.stringBound(decision.cardID.utf8.count)
            + JSONCursor.stringsBound(verdict.ruleIDs) + JSONCursor.reasonsBound(reasons ?? decision.reasons[...])
            + JSONCursor.stringBound(rulesVersion.utf8.count) + 2 * (JSONCursor.numberBound + 2)
    }

    /// The rules version written (`unversioned` when empty: the contract needs a non-empty string).
    static func rulesVersion(_ outcome: RuleOutcome) -> String {
        outcome.rulesVersion.isEmpty ? "unversioned" : outcome.rulesVersion
    }
}
