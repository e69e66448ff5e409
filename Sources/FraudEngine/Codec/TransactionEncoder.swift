/// Writes a ``Transaction`` as one compact JSON object with the field names of
/// `schemas/transaction.schema.json`.
///
/// The amount is written exactly from ``Money`` in its shortest decimal form, the timestamp
/// as RFC 3339 UTC with milliseconds (`2026-04-01T12:00:00.123Z`), coordinates with the
/// shortest digits that round-trip, and optional fields only when present (a non-finite
/// coordinate, which no decoded transaction has, is omitted). For any transaction the
/// ``TransactionDecoder`` accepts, `decode(encode(t)) == t`.
public struct TransactionEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends the JSON object (no trailing newline) to `buffer`.
    public func encode(_ transaction: Transaction, into buffer: inout [UInt8]) {
        typealias W = JSONByteWriter
        buffer.append(UInt8(ascii: "{"))
        W.appendKey("transaction_id", to: &buffer, first: true)
        W.appendString(transaction.transactionID, to: &buffer)
        W.appendKey("card_id", to: &buffer)
        W.appendString(transaction.cardID, to: &buffer)
        W.appendKey("merchant_id", to: &buffer)
        W.appendString(transaction.merchantID, to: &buffer)
        W.appendKey("amount", to: &buffer)
        W.appendMoney(transaction.amount, to: &buffer)
        W.appendKey("currency", to: &buffer)
        W.appendString(transaction.currency.description, to: &buffer)
        W.appendKey("timestamp", to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        RFC3339.append(transaction.timestamp, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        if let terminalID = transaction.terminalID {
            W.appendKey("terminal_id", to: &buffer)
            W.appendString(terminalID, to: &buffer)
        }
        if let mcc = transaction.mcc {
            W.appendKey("mcc", to: &buffer)
            W.appendInteger(Int64(mcc), to: &buffer)
        }
        if let country = transaction.country {
            W.appendKey("country", to: &buffer)
            W.appendString(country, to: &buffer)
        }
        if let channel = transaction.channel {
            W.appendKey("channel", to: &buffer)
            W.appendString(channel, to: &buffer)
        }
        if let latitude = transaction.latitude, latitude.isFinite {
            W.appendKey("latitude", to: &buffer)
            W.appendDouble(latitude, to: &buffer)
        }
        if let longitude = transaction.longitude, longitude.isFinite {
            W.appendKey("longitude", to: &buffer)
            W.appendDouble(longitude, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// The JSON object as bytes.
    public func encode(_ transaction: Transaction) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(320)
        encode(transaction, into: &buffer)
        return buffer
    }

    /// The JSON object as text.
    public func encodeString(_ transaction: Transaction) -> String {
        String(decoding: encode(transaction), as: UTF8.self)
    }
}
