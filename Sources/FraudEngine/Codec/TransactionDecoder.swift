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

    /// The known keys packed as ``JSONKeyWords`` (checked against their text in the tests).
    enum Keys {
        static let transactionID = JSONKeyWords(length: 14, low: 0x7463_6173_6E61_7274, high: 0x0000_6469_5F6E_6F69)
        static let cardID = JSONKeyWords(length: 7, low: 0x0064_695F_6472_6163, high: 0)
        static let merchantID = JSONKeyWords(length: 11, low: 0x746E_6168_6372_656D, high: 0x0000_0000_0064_695F)
        static let amount = JSONKeyWords(length: 6, low: 0x0000_746E_756F_6D61, high: 0)
        static let currency = JSONKeyWords(length: 8, low: 0x7963_6E65_7272_7563, high: 0)
        static let timestamp = JSONKeyWords(length: 9, low: 0x6D61_7473_656D_6974, high: 0x0000_0000_0000_0070)
        static let terminalID = JSONKeyWords(length: 11, low: 0x6C61_6E69_6D72_6574, high: 0x0000_0000_0064_695F)
        static let mcc = JSONKeyWords(length: 3, low: 0x0000_0000_0063_636D, high: 0)
        static let country = JSONKeyWords(length: 7, low: 0x0079_7274_6E75_6F63, high: 0)
        static let channel = JSONKeyWords(length: 7, low: 0x006C_656E_6E61_6863, high: 0)
        static let latitude = JSONKeyWords(length: 8, low: 0x6564_7574_6974_616C, high: 0)
        static let longitude = JSONKeyWords(length: 9, low: 0x6475_7469_676E_6F6C, high: 0x0000_0000_0000_0065)
    }

    @inline(__always)
    private static func field(_ key: UnsafeBufferPointer<UInt8>, readable: Int) -> Field {
        guard let words = JSONKeyWords(key, readable: readable) else { return .unknown }
        @inline(__always) func matches(_ known: JSONKeyWords) -> Bool { words.low == known.low && words.high == known.high }
        switch words.length {
        case 3: if matches(Keys.mcc) { return .mcc }
        case 6: if matches(Keys.amount) { return .amount }
        case 7:
            if matches(Keys.cardID) { return .cardID }
            if matches(Keys.country) { return .country }
            if matches(Keys.channel) { return .channel }
        case 8:
            if matches(Keys.currency) { return .currency }
            if matches(Keys.latitude) { return .latitude }
        case 9:
            if matches(Keys.timestamp) { return .timestamp }
            if matches(Keys.longitude) { return .longitude }
        case 11:
            if matches(Keys.merchantID) { return .merchantID }
            if matches(Keys.terminalID) { return .terminalID }
        case 14: if matches(Keys.transactionID) { return .transactionID }
        default: break
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
                let field = reader.withDecodedBytes(key) { bytes in
                    TransactionDecoder.field(bytes, readable: key.hasEscapes ? bytes.count : reader.count - key.start)
                }
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
