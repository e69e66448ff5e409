/// Writes a ``Label`` as one compact JSON object with the field names of
/// `schemas/label.schema.json`: `transaction_id`, `is_fraud`, `card_id` (when present) and
/// `reported_at` (always, as RFC 3339 UTC with milliseconds). `decode(encode(l)) == l`.
public struct LabelEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the JSON object (no trailing newline) to `buffer`.
    public func encode(_ label: Label, into buffer: inout [UInt8]) {
        typealias W = JSONByteWriter
        buffer.append(UInt8(ascii: "{"))
        W.appendKey("transaction_id", to: &buffer, first: true)
        W.appendString(label.transactionID, to: &buffer)
        W.appendKey("is_fraud", to: &buffer)
        buffer.append(contentsOf: label.isFraud ? "true".utf8 : "false".utf8)
        if let cardID = label.cardID {
            W.appendKey("card_id", to: &buffer)
            W.appendString(cardID, to: &buffer)
        }
        W.appendKey("reported_at", to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        RFC3339.append(label.reportedAt, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: "}"))
    }

    /// The JSON object as bytes.
    public func encode(_ label: Label) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(160)
        encode(label, into: &buffer)
        return buffer
    }

    /// The JSON object as text.
    public func encodeString(_ label: Label) -> String {
        String(decoding: encode(label), as: UTF8.self)
    }
}
