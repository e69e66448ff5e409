/// Decodes one transaction JSON object (a Kafka message value or an NDJSON line) straight
/// from its bytes into a ``Transaction``, validating it against the contract in
/// `schemas/transaction.schema.json`.
///
/// Policies:
/// - Required: `transaction_id`, `card_id`, `merchant_id` (non-empty strings of at most
///   ``DecoderLimits/maxIdentifierLength`` characters), `amount`, `currency`, `timestamp`.
/// - `amount` must be a JSON number (a numeric string such as `"12.50"` is rejected as
///   `wrong_type`), > 0, at most ``DecoderLimits/maxAmount``, in plain decimal notation
///   (no exponent) with at most four significant decimals (`12.50000` is fine, `12.00001`
///   is not). It is parsed exactly into ``Money``; no binary floating point is involved.
/// - `currency`: a known uppercase ISO 4217 code (``CurrencyCode``).
/// - `timestamp`: an RFC 3339 string (see ``RFC3339``; offsets are converted to UTC) or
///   integer epoch milliseconds, within ``DecoderLimits/timestampRange``.
/// - Optional: `terminal_id` (identifier), `mcc` (integer 0–9999), `country` (two uppercase
///   letters), `channel` (lowercase snake_case), `latitude` [-90, 90], `longitude`
///   [-180, 180] (numbers; exponent notation accepted). Integers may be written `5411.0` as
///   JSON Schema allows, but not `5.411e3`.
/// - `null` for an optional field means absent; `null` for a required field is `wrong_type`.
/// - Unknown fields are skipped whatever their value (nesting bounded by
///   ``DecoderLimits/maxNestingDepth``) but must still be well-formed JSON.
/// - A key repeated in the message object is `duplicate_field`, known or not.
/// - Strings must be valid UTF-8; escapes, including surrogate pairs, are decoded.
/// - Only whitespace may follow the object (a trailing `\r\n` is fine).
///
/// The first problem found is reported; see ``DecodeError``.
public struct TransactionDecoder: Sendable {
    /// The limits enforced.
    public var limits: DecoderLimits

    /// Creates a decoder with the given limits.
    public init(limits: DecoderLimits = .default) {
        self.limits = limits
    }

    /// Decodes a transaction from raw message bytes.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> Transaction {
        guard bytes.count <= limits.maxMessageBytes else {
            throw DecodeError(field: nil, kind: .tooLarge, byteOffset: limits.maxMessageBytes,
                              detail: "message of \(bytes.count) bytes exceeds the limit of \(limits.maxMessageBytes)")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw DecodeError(field: nil, kind: .malformedJSON, byteOffset: 0, detail: "empty message")
        }
        var reader = JSONByteReader(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: limits.maxNestingDepth)
        return try decodeMessage(&reader)
    }

    /// Decodes a transaction from a byte array.
    public func decode(_ bytes: [UInt8]) throws(DecodeError) -> Transaction {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) -> Transaction in try decode(raw) }
        }
        return try result.get()
    }

    /// Decodes a transaction from any collection of bytes (copied first if not contiguous).
    public func decode(_ bytes: some Collection<UInt8>) throws(DecodeError) -> Transaction {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(DecodeError) -> Transaction in try decode(UnsafeRawBufferPointer(buffer)) }
        }
        if let contiguous { return try contiguous.get() }
        return try decode(Array(bytes))
    }

    /// Decodes a transaction from JSON text.
    public func decode(_ text: String) throws(DecodeError) -> Transaction {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(DecodeError) -> Transaction in try decode(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    private enum Field: UInt16 {
        case transactionID, cardID, merchantID, amount, currency, timestamp
        case terminalID, mcc, country, channel, latitude, longitude
        case unknown
    }

    @inline(__always)
    private static func field(_ key: UnsafeBufferPointer<UInt8>) -> Field {
        @inline(__always) func equals(_ literal: StaticString) -> Bool {
            guard key.count == literal.utf8CodeUnitCount else { return false }
            let p = literal.utf8Start
            for i in 0..<key.count where key[i] != p[i] { return false }
            return true
        }
        guard let first = key.first else { return .unknown }
        switch first {
        case UInt8(ascii: "t"):
            if equals("transaction_id") { return .transactionID }
            if equals("timestamp") { return .timestamp }
            if equals("terminal_id") { return .terminalID }
        case UInt8(ascii: "c"):
            if equals("card_id") { return .cardID }
            if equals("currency") { return .currency }
            if equals("country") { return .country }
            if equals("channel") { return .channel }
        case UInt8(ascii: "m"):
            if equals("merchant_id") { return .merchantID }
            if equals("mcc") { return .mcc }
        case UInt8(ascii: "a"):
            if equals("amount") { return .amount }
        case UInt8(ascii: "l"):
            if equals("latitude") { return .latitude }
            if equals("longitude") { return .longitude }
        default:
            break
        }
        return .unknown
    }

    private func decodeMessage(_ reader: inout JSONByteReader) throws(DecodeError) -> Transaction {
        var transactionID: String?
        var cardID: String?
        var merchantID: String?
        var amount: Money?
        var currency: CurrencyCode?
        var timestamp: EpochMillis?
        var terminalID: String?
        var mcc: Int?
        var country: String?
        var channel: String?
        var latitude: Double?
        var longitude: Double?
        var seen: UInt16 = 0
        var unknownKeys: [JSONStringToken] = []
        let limits = self.limits

        if try !reader.beginMessage() {
            repeat {
                let key = try reader.readKey()
                let field = reader.withDecodedBytes(key) { TransactionDecoder.field($0) }
                if field == .unknown {
                    try reader.skipUnknownField(key: key, seen: &unknownKeys)
                    continue
                }
                let bit: UInt16 = 1 << field.rawValue
                if seen & bit != 0 { throw reader.duplicate(reader.makeString(key), key: key) }
                seen |= bit
                switch field {
                case .transactionID:
                    transactionID = try reader.readIdentifier(field: "transaction_id", maxLength: limits.maxIdentifierLength)
                case .cardID:
                    cardID = try reader.readIdentifier(field: "card_id", maxLength: limits.maxIdentifierLength)
                case .merchantID:
                    merchantID = try reader.readIdentifier(field: "merchant_id", maxLength: limits.maxIdentifierLength)
                case .amount:
                    amount = try reader.readAmount(field: "amount", max: limits.maxAmount)
                case .currency:
                    currency = try reader.readCurrency(field: "currency")
                case .timestamp:
                    timestamp = try reader.readTimestamp(field: "timestamp", range: limits.timestampRange)
                case .terminalID:
                    terminalID = try reader.readOptionalIdentifier(field: "terminal_id", maxLength: limits.maxIdentifierLength)
                case .mcc:
                    mcc = try reader.readOptionalInteger(field: "mcc", range: 0...9999)
                case .country:
                    country = try reader.readOptionalCountry(field: "country")
                case .channel:
                    channel = try reader.readOptionalChannel(field: "channel", maxLength: limits.maxChannelLength)
                case .latitude:
                    latitude = try reader.readOptionalCoordinate(field: "latitude", range: -90...90)
                case .longitude:
                    longitude = try reader.readOptionalCoordinate(field: "longitude", range: -180...180)
                case .unknown:
                    break
                }
            } while try reader.endMember()
        }
        let closingBrace = reader.offset - 1
        try reader.endMessage()

        guard let transactionID else { throw reader.missing("transaction_id", closingBrace: closingBrace) }
        guard let cardID else { throw reader.missing("card_id", closingBrace: closingBrace) }
        guard let merchantID else { throw reader.missing("merchant_id", closingBrace: closingBrace) }
        guard let amount else { throw reader.missing("amount", closingBrace: closingBrace) }
        guard let currency else { throw reader.missing("currency", closingBrace: closingBrace) }
        guard let timestamp else { throw reader.missing("timestamp", closingBrace: closingBrace) }
        return Transaction(
            transactionID: transactionID, cardID: cardID, merchantID: merchantID, amount: amount,
            currency: currency, timestamp: timestamp, terminalID: terminalID, mcc: mcc,
            country: country, channel: channel, latitude: latitude, longitude: longitude
        )
    }
}
