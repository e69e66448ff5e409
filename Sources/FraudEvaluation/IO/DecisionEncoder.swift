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
        out.append(UInt8(ascii: "{"))
        Self.key("transaction_id", &out, first: true)
        Self.string(decision.transactionID, &out)
        Self.key("card_id", &out)
        Self.string(decision.cardID, &out)
        Self.key("event_time", &out)
        out.append(UInt8(ascii: "\""))
        RFC3339.append(decision.eventTime, to: &out)
        out.append(UInt8(ascii: "\""))
        Self.key("score", &out)
        Self.number(decision.score, &out)
        Self.key("model_probability", &out)
        Self.number(decision.modelProbability, &out)
        Self.key("anomaly", &out)
        Self.number(decision.anomaly, &out)
        Self.key("alert", &out)
        out.append(contentsOf: alert ? "true".utf8 : "false".utf8)
        Self.key("reasons", &out)
        out.append(UInt8(ascii: "["))
        for (i, reason) in decision.reasons.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            Self.key("code", &out, first: true)
            Self.string(reason.code, &out)
            Self.key("contribution", &out)
            Self.number(reason.contribution, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        Self.key("state_version", &out)
        out.append(contentsOf: String(decision.stateVersion).utf8)
        if let isFraud {
            Self.key("is_fraud", &out)
            out.append(contentsOf: isFraud ? "true".utf8 : "false".utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The JSON object as text.
    public func encodeString(_ decision: Decision, alert: Bool, isFraud: Bool? = nil) -> String {
        var out: [UInt8] = []
        encode(decision, alert: alert, isFraud: isFraud, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func key(_ key: StaticString, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    static func number(_ value: Double, _ out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        // Swift's description is the shortest round-trip form ("0.25", "1e-05", "3.0").
        out.append(contentsOf: value.description.utf8)
    }

    static func string(_ value: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
