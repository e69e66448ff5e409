import FraudEngine
import FraudRules

/// Decodes one line of a decision log into a ``AnalysedDecision``.
///
/// Two formats are accepted, told apart by their fields:
/// - **decision records** of the live processor and `fraudstream replay`
///   (`schemas/decision.schema.json`): `action` is `"alert"`, `"review"`, `"block"` or
///   `null`; `amount` (a JSON number, the exact decimal), `currency`, `channel` and
///   `country` are read when present;
/// - **evaluate lines** (`fraudstream evaluate --decisions-out`): `"alert": true` counts as
///   the action `alert`, `false` as none; `is_fraud` is read when present.
///
/// Required: `transaction_id`, `card_id`, `event_time` (RFC 3339 text or epoch
/// milliseconds), `score` (a number in [0, 1]) and one of `action` or `alert`. Every other
/// field is skipped; a key that appears twice is an error.
public struct DecisionLineDecoder: Sendable {
    /// Creates a decoder.
    public init() {}

    private enum Field: Int {
        case transactionID, cardID, eventTime, score, action, alert, amount, currency, channel, country, isFraud
    }

    private static let keys: [(StaticString, Field)] = [
        ("transaction_id", .transactionID), ("card_id", .cardID), ("event_time", .eventTime), ("score", .score),
        ("action", .action), ("alert", .alert), ("amount", .amount), ("currency", .currency),
        ("channel", .channel), ("country", .country), ("is_fraud", .isFraud),
    ]

    /// Decodes one line.
    ///
    /// - Throws: ``AnalysisError`` with the field and what is wrong (no file or line: the
    ///   caller adds them).
    public func decode(_ line: UnsafeRawBufferPointer) throws(AnalysisError) -> AnalysedDecision {
        var scanner = JSONLineScanner(line)
        do {
            return try decode(&scanner)
        } catch let error as JSONScanError {
            throw AnalysisError("\(error.detail) (byte \(error.offset))")
        } catch let error as AnalysisError {
            throw error
        } catch {
            throw AnalysisError("\(error)")
        }
    }

    /// Decodes one line of text.
    public func decode(_ text: String) throws(AnalysisError) -> AnalysedDecision {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(AnalysisError) -> AnalysedDecision in try decode(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    private func decode(_ s: inout JSONLineScanner) throws -> AnalysedDecision {
        var transactionID: String?
        var cardID: String?
        var eventTime: EpochMillis?
        var score: Double?
        var action: RuleAction??  // `action` of a decision record: .some(nil) for null
        var alert: Bool?  // `alert` of an evaluate line
        var amount: Money?
        var currency: String?
        var channel: String?
        var country: String?
        var isFraud: Bool?
        var seen = 0

        try s.expect(UInt8(ascii: "{"), "a JSON object '{'")
        if !s.consume(UInt8(ascii: "}")) {
            repeat {
                let keyStart = s.offset
                let decodedKey = try s.readKey()
                try s.expect(UInt8(ascii: ":"), "':'")
                guard let field = Self.keys.first(where: { s.keyEquals($0.0, decoded: decodedKey) })?.1 else {
                    try s.skipValue(depth: 1)
                    continue
                }
                let bit = 1 << field.rawValue
                guard seen & bit == 0 else { throw s.error("duplicate field", at: keyStart) }
                seen |= bit
                let valueStart = s.offset
                switch field {
                case .transactionID:
                    guard s.nextKind() == UInt8(ascii: "\"") else { throw Self.wrong(s, "transaction_id", "a string") }
                    transactionID = try s.readString()
                    if transactionID!.isEmpty { throw AnalysisError("transaction_id: must not be empty (byte \(valueStart))") }
                case .cardID:
                    guard s.nextKind() == UInt8(ascii: "\"") else { throw Self.wrong(s, "card_id", "a string") }
                    cardID = try s.readString()
                case .eventTime:
                    eventTime = try readTime(&s)
                case .score:
                    guard s.nextKind() == UInt8(ascii: "0") else { throw Self.wrong(s, "score", "a number in [0, 1]") }
                    let value = try s.readDouble()
                    guard value.isFinite, (0...1).contains(value) else {
                        throw AnalysisError("score: expected a number in [0, 1], found \(value) (byte \(valueStart))")
                    }
                    score = value
                case .action:
                    if s.readNull() {
                        action = .some(nil)
                        break
                    }
                    guard s.nextKind() == UInt8(ascii: "\"") else { throw Self.wrong(s, "action", "\"alert\", \"review\", \"block\" or null") }
                    let text = try s.readString()
                    guard let parsed = RuleAction(rawValue: text) else {
                        throw AnalysisError("action: expected \"alert\", \"review\", \"block\" or null, found \"\(text)\" (byte \(valueStart))")
                    }
                    action = parsed
                case .alert:
                    guard let flag = s.readBoolean() else { throw Self.wrong(s, "alert", "true or false") }
                    alert = flag
                case .amount:
                    if s.readNull() { break }
                    amount = try readAmount(&s)
                case .currency:
                    currency = try readOptionalString(&s, "currency")
                case .channel:
                    channel = try readOptionalString(&s, "channel")
                case .country:
                    country = try readOptionalString(&s, "country")
                case .isFraud:
                    if s.readNull() { break }
                    guard let flag = s.readBoolean() else { throw Self.wrong(s, "is_fraud", "true, false or null") }
                    isFraud = flag
                }
            } while s.consume(UInt8(ascii: ","))
            try s.expect(UInt8(ascii: "}"), "',' or '}'")
        }
        s.skipWhitespace()
        guard s.offset == s.bytes.count else { throw s.error("unexpected data after the object") }

        guard let transactionID else { throw AnalysisError("transaction_id: required field is missing") }
        guard let cardID else { throw AnalysisError("card_id: required field is missing") }
        guard let eventTime else { throw AnalysisError("event_time: required field is missing") }
        guard let score else { throw AnalysisError("score: required field is missing") }
        // A decision record's `action` wins over an evaluate line's `alert` when both are present.
        guard let action = action ?? alert.map({ $0 ? RuleAction.alert : nil }) else {
            throw AnalysisError("action: required field is missing (a decision record's action or an evaluate line's alert)")
        }
        return AnalysedDecision(
            transactionID: transactionID, cardID: cardID, eventTime: eventTime, score: score, action: action,
            amount: amount, currency: currency, channel: channel, country: country, isFraud: isFraud)
    }

    private static func wrong(_ scanner: JSONLineScanner, _ name: String, _ expected: String) -> AnalysisError {
        var probe = scanner
        probe.skipWhitespace()
        return AnalysisError("\(name): expected \(expected), found \(probe.describeNext()) (byte \(probe.offset))")
    }

    private func readTime(_ s: inout JSONLineScanner) throws -> EpochMillis {
        let start = s.offset
        switch s.nextKind() {
        case UInt8(ascii: "\""):
            let text = try s.readString()
            do {
                return try RFC3339.parse(text)
            } catch {
                throw AnalysisError("event_time: not an RFC 3339 date-time (\(error)): \"\(text)\" (byte \(start))")
            }
        case UInt8(ascii: "0"):
            let value = try s.readDouble()
            guard value.isFinite, value == value.rounded(), abs(value) < 9e15 else {
                throw AnalysisError("event_time: expected integer epoch milliseconds, found \(value) (byte \(start))")
            }
            return EpochMillis(value)
        default:
            throw Self.wrong(s, "event_time", "an RFC 3339 string or epoch milliseconds")
        }
    }

    private func readAmount(_ s: inout JSONLineScanner) throws -> Money {
        let start = s.offset
        let text: String
        switch s.nextKind() {
        case UInt8(ascii: "0"): text = String(decoding: try s.readNumberBytes(), as: UTF8.self)
        case UInt8(ascii: "\""): text = try s.readString()
        default: throw Self.wrong(s, "amount", "a number")
        }
        guard let money = Money(text) else {
            throw AnalysisError("amount: expected a plain decimal >= 0 with at most 4 decimals, found \(text) (byte \(start))")
        }
        return money
    }

    private func readOptionalString(
        _ s: inout JSONLineScanner, _ name: String
    ) throws -> String? {
        if s.readNull() { return nil }
        guard s.nextKind() == UInt8(ascii: "\"") else { throw Self.wrong(s, name, "a string or null") }
        return try s.readString()
    }
}
