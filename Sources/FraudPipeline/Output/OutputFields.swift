import FraudEngine
import FraudRules

/// Fields that alerts and decision records share, written the same way in both.
enum OutputFields {
    /// Appends `"score":…,"components":{"model_probability":…,"anomaly":…}`.
    static func appendScore(_ decision: Decision, to out: inout [UInt8]) {
        JSONByteWriter.appendKey("score", to: &out)
        JSONByteWriter.appendUnitInterval(decision.score, to: &out)
        JSONByteWriter.appendKey("components", to: &out)
        JSONByteWriter.appendRaw("{", to: &out)
        JSONByteWriter.appendKey("model_probability", to: &out, first: true)
        JSONByteWriter.appendUnitInterval(decision.modelProbability, to: &out)
        JSONByteWriter.appendKey("anomaly", to: &out)
        JSONByteWriter.appendUnitInterval(decision.anomaly, to: &out)
        JSONByteWriter.appendRaw("}", to: &out)
    }

    /// Appends the alert id of `transactionID` as a JSON string.
    static func appendAlertID(_ transactionID: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        AlertID.append(transactionID: transactionID, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the rules version (`unversioned` when empty: the contract needs a non-empty string).
    static func appendRulesVersion(_ outcome: RuleOutcome, to out: inout [UInt8]) {
        JSONByteWriter.appendString(outcome.rulesVersion.isEmpty ? "unversioned" : outcome.rulesVersion, to: &out)
    }
}
