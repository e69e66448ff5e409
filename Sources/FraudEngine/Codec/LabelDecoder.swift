/// Decodes one label JSON object (fraud feedback) from its bytes into a ``Label``,
/// validating it against `schemas/label.schema.json`.
///
/// Policies:
/// - Required: `transaction_id` (non-empty string of at most
///   ``DecoderLimits/maxIdentifierLength`` characters) and `is_fraud` (a JSON boolean;
///   `"true"`, `1` or `null` are `wrong_type`).
/// - Optional: `card_id` (identifier) and `reported_at` (RFC 3339 string or integer epoch
///   milliseconds within ``DecoderLimits/timestampRange``). When `reported_at` is absent or
///   `null` the caller's `defaultReportedAt` (typically the Kafka message timestamp) is
///   used as given; when that is nil too, the label is rejected as `missing_field`
///   `reported_at`.
/// - Unknown fields, duplicate keys, strings, `null` and trailing data are handled exactly
///   as by ``TransactionDecoder``.
public struct LabelDecoder: Sendable {
    /// The limits enforced.
    public var limits: DecoderLimits

    /// Creates a decoder with the given limits.
    public init(limits: DecoderLimits = .default) {
        self.limits = limits
    }

    /// Decodes a label from raw message bytes.
    /// - Parameter defaultReportedAt: Event time to use when the message has no `reported_at`.
    public func decode(_ bytes: UnsafeRawBufferPointer, defaultReportedAt: EpochMillis? = nil) throws(DecodeError) -> Label {
        guard bytes.count <= limits.maxMessageBytes else {
            throw DecodeError(field: nil, kind: .tooLarge, byteOffset: limits.maxMessageBytes,
                              detail: "message of \(bytes.count) bytes exceeds the limit of \(limits.maxMessageBytes)")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw DecodeError(field: nil, kind: .malformedJSON, byteOffset: 0, detail: "empty message")
        }
        var reader = JSONByteReader(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: limits.maxNestingDepth)
        return try decodeMessage(&reader, defaultReportedAt: defaultReportedAt)
    }

    /// Decodes a label from a byte array.
    public func decode(_ bytes: [UInt8], defaultReportedAt: EpochMillis? = nil) throws(DecodeError) -> Label {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) -> Label in try decode(raw, defaultReportedAt: defaultReportedAt) }
        }
        return try result.get()
    }

    /// Decodes a label from any collection of bytes (copied first if not contiguous).
    public func decode(_ bytes: some Collection<UInt8>, defaultReportedAt: EpochMillis? = nil) throws(DecodeError) -> Label {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(DecodeError) -> Label in
                try decode(UnsafeRawBufferPointer(buffer), defaultReportedAt: defaultReportedAt)
            }
        }
        if let contiguous { return try contiguous.get() }
        return try decode(Array(bytes), defaultReportedAt: defaultReportedAt)
    }

    /// Decodes a label from JSON text.
    public func decode(_ text: String, defaultReportedAt: EpochMillis? = nil) throws(DecodeError) -> Label {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(DecodeError) -> Label in
                try decode(UnsafeRawBufferPointer(buffer), defaultReportedAt: defaultReportedAt)
            }
        }
        return try result.get()
    }

    private enum Field: UInt8 {
        case transactionID, isFraud, cardID, reportedAt, unknown
    }

    private static func field(_ key: UnsafeBufferPointer<UInt8>) -> Field {
        func equals(_ literal: StaticString) -> Bool {
            guard key.count == literal.utf8CodeUnitCount else { return false }
            let p = literal.utf8Start
            for i in 0..<key.count where key[i] != p[i] { return false }
            return true
        }
        if equals("transaction_id") { return .transactionID }
        if equals("is_fraud") { return .isFraud }
        if equals("card_id") { return .cardID }
        if equals("reported_at") { return .reportedAt }
        return .unknown
    }

    private func decodeMessage(_ reader: inout JSONByteReader, defaultReportedAt: EpochMillis?) throws(DecodeError) -> Label {
        var transactionID: String?
        var isFraud: Bool?
        var cardID: String?
        var reportedAt: EpochMillis?
        var seen: UInt8 = 0
        var unknownKeys: [JSONStringToken] = []

        if try !reader.beginMessage() {
            repeat {
                let key = try reader.readKey()
                let field = reader.withDecodedBytes(key) { LabelDecoder.field($0) }
                if field == .unknown {
                    try reader.skipUnknownField(key: key, seen: &unknownKeys)
                    continue
                }
                let bit: UInt8 = 1 << field.rawValue
                if seen & bit != 0 { throw reader.duplicate(reader.makeString(key), key: key) }
                seen |= bit
                switch field {
                case .transactionID:
                    transactionID = try reader.readIdentifier(field: "transaction_id", maxLength: limits.maxIdentifierLength)
                case .isFraud:
                    isFraud = try reader.readBoolean(field: "is_fraud")
                case .cardID:
                    cardID = try reader.readOptionalIdentifier(field: "card_id", maxLength: limits.maxIdentifierLength)
                case .reportedAt:
                    reportedAt = try reader.readOptionalTimestamp(field: "reported_at", range: limits.timestampRange)
                case .unknown:
                    break
                }
            } while try reader.endMember()
        }
        let closingBrace = reader.offset - 1
        try reader.endMessage()

        guard let transactionID else { throw reader.missing("transaction_id", closingBrace: closingBrace) }
        guard let isFraud else { throw reader.missing("is_fraud", closingBrace: closingBrace) }
        guard let reportedAt = reportedAt ?? defaultReportedAt else {
            throw reader.missing("reported_at", closingBrace: closingBrace, detail: "required field is missing and no default (message timestamp) was given")
        }
        return Label(transactionID: transactionID, isFraud: isFraud, cardID: cardID, reportedAt: reportedAt)
    }
}
