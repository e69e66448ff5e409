import FraudEngine

/// Writes a ``Decision`` as one compact JSON object for `--decisions-out`:
///
///     {"transaction_id":"tx-0000000042","card_id":"card-7","event_time":"2026-05-01T10:00:00.000Z",
///      "score":0.91,"model_probability":0.93,"anomaly":0.4,"alert":true,
///      "reasons":[{"code":"terminal_fraud_rate_28d","contribution":2.1}],"state_version":12345,
///      "is_fraud":true}
///
/// `alert` is `score >= threshold`; `is_fraud` (optional) is the eventual truth from the
/// labels file, for plots and audits. Numbers are written with the shortest digits that
/// round-trip; a non-finite number is written as `null`.
public struct DecisionEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the JSON object (no newline) to `out`.
    public func encode(_ decision: Decision, alert: Bool, isFraud: Bool?, into out: inout [UInt8]) {
        typealias W = JSONByteWriter
        out.append(UInt8(ascii: "{"))
        W.appendKey("transaction_id", to: &out, first: true)
        W.appendString(decision.transactionID, to: &out)
        W.appendKey("card_id", to: &out)
        W.appendString(decision.cardID, to: &out)
        W.appendKey("event_time", to: &out)
        W.appendTimestamp(decision.eventTime, to: &out)
        W.appendKey("score", to: &out)
        W.appendDouble(decision.score, to: &out)
        W.appendKey("model_probability", to: &out)
        W.appendDouble(decision.modelProbability, to: &out)
        W.appendKey("anomaly", to: &out)
        W.appendDouble(decision.anomaly, to: &out)
        W.appendKey("alert", to: &out)
        W.appendBool(alert, to: &out)
        W.appendKey("reasons", to: &out)
        W.appendReasons(decision.reasons, to: &out)
        W.appendKey("state_version", to: &out)
        W.appendUnsigned(decision.stateVersion, to: &out)
        if let isFraud {
            W.appendKey("is_fraud", to: &out)
            W.appendBool(isFraud, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The JSON object as text.
    public func encodeString(_ decision: Decision, alert: Bool, isFraud: Bool? = nil) -> String {
        var out: [UInt8] = []
        encode(decision, alert: alert, isFraud: isFraud, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
