import Testing
@testable import FraudEngine

/// One test per way a transaction message can be bad: each asserts the field, the reason
/// kind and the byte offset where the problem was found.
@Suite struct TransactionDecoderErrorTests {
    typealias F = CodecFixtures

    // MARK: Malformed JSON

    @Test func truncatedMessage() throws {
        let json = #"{"transaction_id":"tx-1","card_id":"#
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .malformedJSON)
        #expect(error.field == "card_id")  // the value that is cut off
        #expect(error.byteOffset == json.utf8.count)
        #expect(error.detail == "unexpected end of message, expected a value")
    }

    @Test func truncatedInsideAString() throws {
        let json = #"{"transaction_id":"tx-1","card_id":"car"#
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .malformedJSON)
        #expect(error.field == "card_id")
        #expect(error.byteOffset == F.lastOffset(of: #""car"#, in: json))
        #expect(error.detail == "unterminated string")
    }

    @Test func trailingGarbage() throws {
        let valid = F.transaction()
        let error = try #require(F.transactionError(valid + " x"))
        #expect(error.kind == .trailingData)
        #expect(error.field == nil)
        #expect(error.byteOffset == valid.utf8.count + 1)
        #expect(error.reasonCode == "trailing_data")
    }

    @Test func twoObjectsOnOneLine() throws {
        let valid = F.transaction()
        let error = try #require(F.transactionError(valid + valid))
        #expect(error.kind == .trailingData)
        #expect(error.byteOffset == valid.utf8.count)
    }

    @Test func garbageBetweenMembers() throws {
        let json = #"{"transaction_id":"tx-1" x "card_id":"c"}"#
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .malformedJSON)
        #expect(error.byteOffset == F.offset(of: " x ", in: json) + 1)
        #expect(error.detail == "expected ',' or '}' after a field value, found 'x'")
    }

    @Test func emptyAndBlankMessages() throws {
        let empty = try #require(F.transactionError(""))
        #expect(empty.kind == .malformedJSON && empty.byteOffset == 0 && empty.detail == "empty message")
        let blank = try #require(F.transactionError(" \n"))
        #expect(blank.kind == .malformedJSON && blank.byteOffset == 2)
    }

    @Test func notAnObject() throws {
        let error = try #require(F.transactionError("[1,2]"))
        #expect(error.kind == .wrongType)
        #expect(error.field == nil)
        #expect(error.byteOffset == 0)
        #expect(error.detail == "expected a JSON object, found an array")
        // Text that merely starts like a literal is malformed, not "null" or "a boolean".
        for text in ["not json", "nul", "falsy"] {
            let malformed = try #require(F.transactionError(text))
            #expect(malformed.kind == .malformedJSON, "\(text)")
            #expect(malformed.detail == "expected a JSON object, found '\(text.first!)'", "\(text)")
        }
        let null = try #require(F.transactionError("null"))
        #expect(null.kind == .wrongType && null.detail == "expected a JSON object, found null")
    }

    @Test(arguments: [
        (#"{"amount":012}"#, "amount"),  // leading zero
        (#"{"amount":1.}"#, "amount"),
        (#"{"amount":-}"#, "amount"),
        (#"{"amount":1e}"#, "amount"),
        (#"{"x":tru}"#, "x"),  // inside an unknown field: named by its key
        (#"{"x":nul}"#, "x"),
        (#"{"card_id":"a\qb"}"#, "card_id"),  // invalid escape
        (#"{"card_id":"\u12G4"}"#, "card_id"),
        ("{\"card_id\":\"line\nbreak\"}", "card_id"),  // raw control character
        (#"{card_id:"c"}"#, nil),  // unquoted key
        (#"{"card_id" "c"}"#, nil),  // missing colon
        (#"{"card_id":"c",}"#, nil),  // trailing comma
        (#"{"x":[1,2}"#, "x"),
    ] as [(String, String?)])
    func malformedTokens(json: String, field: String?) throws {
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .malformedJSON, "\(json): \(error)")
        #expect(error.field == field, "\(json): \(error)")
        #expect(error.byteOffset > 0 && error.byteOffset < json.utf8.count)
    }

    // MARK: Missing and wrongly typed fields

    @Test(arguments: ["transaction_id", "card_id", "merchant_id", "amount", "currency", "timestamp"])
    func missingRequiredField(name: String) throws {
        let json = F.transaction(removing: [name])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .missingField)
        #expect(error.field == name)
        #expect(error.byteOffset == json.utf8.count - 1)  // the closing brace
        #expect(error.reasonCode == "missing_field")
    }

    @Test(arguments: [
        ("transaction_id", "42", "expected a string, found a number"),
        ("card_id", "null", "expected a string, found null"),
        ("merchant_id", #"{"id":"m"}"#, "expected a string, found an object"),
        ("amount", #""12.50""#, "expected a number, found a string"),
        ("amount", "null", "expected a number, found null"),
        ("currency", "978", "expected a string, found a number"),
        ("timestamp", "true", "expected an RFC 3339 string or integer epoch milliseconds, found a boolean"),
        ("timestamp", "null", "expected an RFC 3339 string or integer epoch milliseconds, found null"),
    ])
    func wrongTypeOfRequiredField(name: String, value: String, detail: String) throws {
        let json = F.transaction(replacing: [name: value])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .wrongType)
        #expect(error.field == name)
        #expect(error.detail == detail)
        #expect(error.byteOffset == F.offset(of: "\"\(name)\":", in: json) + name.utf8.count + 3)
    }

    @Test(arguments: [
        ("mcc", #""5411""#), ("latitude", #""48.8""#), ("longitude", "[2.3]"), ("country", "33"),
        ("channel", "true"), ("terminal_id", "7"),
    ])
    func wrongTypeOfOptionalField(name: String, value: String) throws {
        let json = F.transaction(adding: [(name, value)])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .wrongType)
        #expect(error.field == name)
        #expect(error.byteOffset == F.offset(of: "\"\(name)\":", in: json) + name.utf8.count + 3)
    }

    // MARK: Amounts

    @Test(arguments: ["-5", "0", "0.0", "-0", "0.00000", "-12.5"])
    func nonPositiveAmount(value: String) throws {
        let json = F.transaction(replacing: ["amount": value])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "amount")
        #expect(error.detail == "expected a number > 0, found \(value)")
        #expect(error.byteOffset == F.offset(of: "\"amount\":", in: json) + 9)
    }

    @Test func humanMessageNamesFieldValueAndOffset() throws {
        let json = F.transaction(replacing: ["amount": "-5"])
        let error = try #require(F.transactionError(json))
        #expect(error.description == "amount: expected a number > 0, found -5 (byte \(F.offset(of: "-5", in: json)))")
    }

    @Test(arguments: ["1000000000.0001", "1000000001", "99999999999999999999", "123456789012345678901234567890.5"])
    func absurdAmount(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(replacing: ["amount": value])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "amount")
        #expect(error.detail.hasPrefix("expected at most 1000000000"))
    }

    @Test func amountLimitIsConfigurable() throws {
        let limits = DecoderLimits(maxAmount: Money(whole: 100))
        #expect(F.transactionError(F.transaction(replacing: ["amount": "100"]), limits: limits) == nil)
        let error = try #require(F.transactionError(F.transaction(replacing: ["amount": "100.01"]), limits: limits))
        #expect(error.kind == .invalidValue && error.field == "amount")
    }

    @Test(arguments: ["1.23456", "0.00001", "12.50001"])
    func tooManyDecimals(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(replacing: ["amount": value])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "amount")
        #expect(error.detail == "more than 4 decimal places, found \(value)")
    }

    @Test(arguments: ["1e3", "1.5E2", "125e-1"])
    func exponentAmount(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(replacing: ["amount": value])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "amount")
        #expect(error.detail.contains("exponent notation is not accepted"))
    }

    // MARK: Codes and ranges

    @Test(arguments: [#""USX""#, #""eur""#, #""EURO""#, #""""#, #""€""#])
    func unknownCurrency(value: String) throws {
        let json = F.transaction(replacing: ["currency": value])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "currency")
        #expect(error.byteOffset == F.offset(of: "\"currency\":", in: json) + 11)
    }

    @Test(arguments: [#""fr""#, #""FRA""#, #""F1""#, #""""#, #""F""#])
    func badCountry(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(adding: [("country", value)])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "country")
    }

    @Test(arguments: [#""Card Present""#, #""card-present""#, #""_atm""#, #""""#, "\"\(String(repeating: "a", count: 33))\""])
    func badChannel(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(adding: [("channel", value)])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "channel")
    }

    @Test(arguments: ["-1", "10000", "54.11", "5.411e3", "1e2"])
    func badMCC(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(adding: [("mcc", value)])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "mcc")
    }

    @Test(arguments: [("latitude", "90.0001"), ("latitude", "-91"), ("longitude", "180.5"), ("longitude", "-1e3"), ("latitude", "1e400")])
    func coordinateOutOfRange(name: String, value: String) throws {
        let error = try #require(F.transactionError(F.transaction(adding: [(name, value)])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == name)
    }

    @Test(arguments: ["card_id", "transaction_id", "merchant_id"])
    func emptyIdentifier(name: String) throws {
        let error = try #require(F.transactionError(F.transaction(replacing: [name: #""""#])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == name)
        #expect(error.detail == "must not be empty")
    }

    @Test func overlongIdentifier() throws {
        let json = F.transaction(replacing: ["card_id": "\"\(String(repeating: "é", count: 129))\""])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "card_id")
        #expect(error.detail == "longer than 128 characters (129)")
    }

    // MARK: Timestamps

    @Test(arguments: [
        #""1999-12-31T23:59:59.999Z""#,
        #""2101-01-01T00:00:00Z""#,
        #""2000-01-01T00:30:00+01:00""#,  // 1999-12-31T23:30Z once converted to UTC
        "946684799999",
        "4133980800000",
        "-1",
        "1775044800",  // epoch seconds, not milliseconds: 1970-01-21
    ])
    func timestampOutOfRange(value: String) throws {
        let json = F.transaction(replacing: ["timestamp": value])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "timestamp")
        #expect(error.detail.hasPrefix("expected a time from 2000-01-01T00:00:00.000Z to 2100-12-31T23:59:59.999Z"))
        #expect(error.byteOffset == F.offset(of: "\"timestamp\":", in: json) + 12)
    }

    @Test func timestampRangeEdgesAreInclusive() {
        #expect(F.transactionError(F.transaction(replacing: ["timestamp": "946684800000"])) == nil)
        #expect(F.transactionError(F.transaction(replacing: ["timestamp": #""2100-12-31T23:59:59.999Z""#])) == nil)
    }

    @Test(arguments: [#""2026-02-29T10:00:00Z""#, #""2026-04-01T12:00:00""#, #""yesterday""#, #""2026-04-01T25:00:00Z""#, "1775044800000.5", "1.7e12"])
    func malformedTimestamp(value: String) throws {
        let error = try #require(F.transactionError(F.transaction(replacing: ["timestamp": value])))
        #expect(error.kind == .invalidValue)
        #expect(error.field == "timestamp")
    }

    // MARK: Encoding, size, depth, duplicates

    @Test func invalidUTF8InAField() throws {
        var bytes = Array(F.transaction(replacing: ["card_id": #""card-XX""#]).utf8)
        let at = F.offset(of: "XX", in: String(decoding: bytes, as: UTF8.self))
        bytes[at] = 0xC3
        bytes[at + 1] = 0x28  // not a continuation byte
        let error = try #require(F.transactionError(bytes: bytes))
        #expect(error.kind == .invalidUTF8)
        #expect(error.field == "card_id")
        #expect(error.byteOffset == at)
        #expect(error.reasonCode == "invalid_utf8")
    }

    @Test(arguments: [[0xC0, 0xAF] as [UInt8], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x82]])
    func invalidUTF8Forms(sequence: [UInt8]) throws {
        // Overlong '/', an encoded surrogate, above U+10FFFF, never-valid bytes, a stray continuation, a truncated sequence.
        let prefix = Array(#"{"merchant_id":"m"#.utf8)
        let bytes = prefix + sequence + Array(#"x","amount":1}"#.utf8)
        let error = try #require(F.transactionError(bytes: bytes))
        #expect(error.kind == .invalidUTF8)
        #expect(error.field == "merchant_id")
        #expect(error.byteOffset == prefix.count)
    }

    @Test func invalidUTF8InAnUnknownField() throws {
        let bytes = Array(#"{"note":"a"#.utf8) + [0xFE] + Array(#""}"#.utf8)
        let error = try #require(F.transactionError(bytes: bytes))
        #expect(error.kind == .invalidUTF8)
        #expect(error.field == "note")
        #expect(error.byteOffset == 10)
    }

    @Test(arguments: [#""\uD800""#, #""\uDC00x""#, #""\uD83Dx""#, #""\uD83D\u0041""#])
    func loneSurrogateEscape(value: String) throws {
        let json = F.transaction(replacing: ["card_id": value])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .invalidUTF8)
        #expect(error.field == "card_id")
        #expect(error.byteOffset == F.offset(of: "\"card_id\":", in: json) + 11)
    }

    @Test func oversizedMessage() throws {
        let limits = DecoderLimits(maxMessageBytes: 100)
        let padded = F.transaction(adding: [("padding", "\"\(String(repeating: "x", count: 200))\"")])
        let error = try #require(F.transactionError(padded, limits: limits))
        #expect(error.kind == .tooLarge)
        #expect(error.field == nil)
        #expect(error.byteOffset == 100)
        #expect(error.detail == "message of \(padded.utf8.count) bytes exceeds the limit of 100")
        let defaultLimit = F.transaction(adding: [("padding", "\"\(String(repeating: "x", count: 70_000))\"")])
        #expect(F.transactionError(defaultLimit)?.kind == .tooLarge)
    }

    @Test func nestingTooDeep() throws {
        let depth = 40
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let json = F.transaction(adding: [("deep", nested)])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .tooDeep)
        #expect(error.field == "deep")
        // The message object is level 1, so the 32nd level is the 31st bracket and the 32nd bracket fails.
        #expect(error.byteOffset == F.offset(of: "[", in: json) + 31)
        let allowed = String(repeating: "[", count: 31) + String(repeating: "]", count: 31)
        #expect(F.transactionError(F.transaction(adding: [("deep", allowed)])) == nil)
    }

    @Test func duplicateKnownField() throws {
        let json = F.transaction(adding: [("amount", "13")])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .duplicateField)
        #expect(error.field == "amount")
        #expect(error.byteOffset == F.lastOffset(of: "\"amount\"", in: json))
        #expect(error.description.hasPrefix("amount: duplicate field (byte"))
    }

    @Test func duplicateOptionalFieldEvenWhenNull() throws {
        let error = try #require(F.transactionError(F.transaction(adding: [("mcc", "null"), ("mcc", "5411")])))
        #expect(error.kind == .duplicateField && error.field == "mcc")
    }

    @Test func duplicateUnknownField() throws {
        let json = F.transaction(adding: [("note", "1"), ("other", "2"), ("note", #""again""#)])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .duplicateField)
        #expect(error.field == "note")
        #expect(error.byteOffset == F.lastOffset(of: "\"note\"", in: json))
    }

    @Test func duplicateSpelledWithAnEscape() throws {
        let json = F.transaction(adding: [(#"\u0063ard_id"#, #""other""#)])
        let error = try #require(F.transactionError(json))
        #expect(error.kind == .duplicateField)
        #expect(error.field == "card_id")
    }

    @Test func everyReasonCodeIsStableSnakeCase() {
        #expect(DecodeError.Kind.allCases.map(\.rawValue) == [
            "malformed_json", "invalid_utf8", "trailing_data", "too_large", "too_deep", "missing_field",
            "wrong_type", "invalid_value", "duplicate_field",
        ])
    }
}
