/// Message-level structure and the typed field readers shared by the decoders.
extension JSONByteReader {
    // MARK: Message object

    /// Consumes leading whitespace and the message's `{`; returns true when the object is
    /// empty (its `}` consumed too).
    mutating func beginMessage() throws(DecodeError) -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else {
            if isAtEnd { throw malformed(count == 0 ? "empty message" : "message holds only whitespace", at: offset) }
            throw wrongType(field: nil, expected: "a JSON object", malformedExpected: "a JSON object")
        }
        offset += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return true
        }
        return false
    }

    /// Reads a member's key and the `:` after it, leaving the offset at the value.
    @inline(__always)
    mutating func readKey() throws(DecodeError) -> JSONStringToken {
        guard peek() == UInt8(ascii: "\"") else { throw unexpected(at: offset, expected: "a field name in double quotes") }
        let key = try scanString(field: nil)
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw unexpected(at: offset, expected: "':' after the field name") }
        offset += 1
        skipWhitespace()
        return key
    }

    /// After a member's value: consumes `,` and returns true, or consumes `}` and returns false.
    @inline(__always)
    mutating func endMember() throws(DecodeError) -> Bool {
        skipWhitespace()
        let b = peek()
        if b == UInt8(ascii: ",") {
            offset += 1
            skipWhitespace()
            return true
        }
        if b == UInt8(ascii: "}") {
            offset += 1
            return false
        }
        throw unexpected(at: offset, expected: "',' or '}' after a field value")
    }

    /// After the closing brace: only whitespace may follow.
    mutating func endMessage() throws(DecodeError) {
        skipWhitespace()
        guard isAtEnd else {
            throw DecodeError(field: nil, kind: .trailingData, byteOffset: offset, detail: "unexpected data after the JSON object: \(excerpt(offset, count))")
        }
    }

    /// Skips the value of an unknown field, rejecting a key seen before.
    mutating func skipUnknownField(key: JSONStringToken, seen: inout [JSONStringToken]) throws(DecodeError) {
        for earlier in seen where sameContent(earlier, key) {
            throw DecodeError(field: makeString(key), kind: .duplicateField, byteOffset: key.quote, detail: "duplicate field")
        }
        seen.append(key)
        do {
            try skipValue(depth: 1, field: nil)
        } catch {
            var named = error
            named.field = makeString(key)
            throw named
        }
    }

    private func sameContent(_ a: JSONStringToken, _ b: JSONStringToken) -> Bool {
        if !a.hasEscapes && !b.hasEscapes {
            let n = a.end - a.start
            guard n == b.end - b.start else { return false }
            for k in 0..<n where base[a.start + k] != base[b.start + k] { return false }
            return true
        }
        return makeString(a) == makeString(b)
    }

    func duplicate(_ field: String, key: JSONStringToken) -> DecodeError {
        DecodeError(field: field, kind: .duplicateField, byteOffset: key.quote, detail: "duplicate field")
    }

    func missing(_ field: String, closingBrace: Int, detail: String = "required field is missing") -> DecodeError {
        DecodeError(field: field, kind: .missingField, byteOffset: closingBrace, detail: detail)
    }

    func invalid(_ field: StaticString, at index: Int, _ detail: String) -> DecodeError {
        DecodeError(field: "\(field)", kind: .invalidValue, byteOffset: index, detail: detail)
    }

    // MARK: Field readers

    /// A required non-empty string of at most `maxLength` Unicode scalars.
    mutating func readIdentifier(field: StaticString, maxLength: Int) throws(DecodeError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw wrongType(field: field, expected: "a string") }
        let token = try scanString(field: field)
        guard token.scalarCount > 0 else { throw invalid(field, at: token.quote, "must not be empty") }
        guard token.scalarCount <= maxLength else {
            throw invalid(field, at: token.quote, "longer than \(maxLength) characters (\(token.scalarCount))")
        }
        return makeString(token)
    }

    /// An optional identifier: nil for `null`.
    mutating func readOptionalIdentifier(field: StaticString, maxLength: Int) throws(DecodeError) -> String? {
        if consumeNull() { return nil }
        return try readIdentifier(field: field, maxLength: maxLength)
    }

    /// A required boolean.
    mutating func readBoolean(field: StaticString) throws(DecodeError) -> Bool {
        guard let value = consumeBoolean() else { throw wrongType(field: field, expected: "a boolean") }
        return value
    }

    /// A strictly positive amount with at most four significant decimals, no exponent, at most `max`.
    mutating func readAmount(field: StaticString, max: Money) throws(DecodeError) -> Money {
        guard valueKind() == .number else { throw wrongType(field: field, expected: "a number") }
        let token = try scanNumber(field: field)
        if token.hasExponent {
            throw invalid(field, at: token.start, "exponent notation is not accepted, write plain decimals; found \(excerpt(token.start, token.end))")
        }
        if token.negative {
            throw invalid(field, at: token.start, "expected a number > 0, found \(excerpt(token.start, token.end))")
        }
        var fractionEnd = token.fractionEnd
        while fractionEnd > token.fractionStart && base[fractionEnd - 1] == UInt8(ascii: "0") { fractionEnd -= 1 }
        let fractionDigits = fractionEnd - token.fractionStart
        if fractionDigits > Money.fractionDigits {
            throw invalid(field, at: token.start, "more than \(Money.fractionDigits) decimal places, found \(excerpt(token.start, token.end))")
        }
        let integerDigits = token.integerEnd - token.integerStart
        // 14 digits keep `whole * 10_000` far from overflow; larger values exceed any sane maximum.
        if integerDigits > 14 {
            throw invalid(field, at: token.start, "expected at most \(max), found \(excerpt(token.start, token.end))")
        }
        var whole: Int64 = 0
        for k in token.integerStart..<token.integerEnd { whole = whole &* 10 &+ Int64(base[k] &- 48) }
        var fraction: Int64 = 0
        for k in token.fractionStart..<fractionEnd { fraction = fraction &* 10 &+ Int64(base[k] &- 48) }
        for _ in fractionDigits..<Money.fractionDigits { fraction &*= 10 }
        let units = whole &* Money.scale &+ fraction
        if units == 0 {
            throw invalid(field, at: token.start, "expected a number > 0, found \(excerpt(token.start, token.end))")
        }
        if units > max.units {
            throw invalid(field, at: token.start, "expected at most \(max), found \(excerpt(token.start, token.end))")
        }
        return Money(units: units)
    }

    /// A known ISO 4217 code in uppercase.
    mutating func readCurrency(field: StaticString) throws(DecodeError) -> CurrencyCode {
        guard peek() == UInt8(ascii: "\"") else { throw wrongType(field: field, expected: "a string") }
        let token = try scanString(field: field)
        let code: CurrencyCode? = withDecodedBytes(token) { bytes in
            bytes.count == 3 ? CurrencyCode(fastLookup: bytes[0], bytes[1], bytes[2]) : nil
        }
        guard let code else {
            throw invalid(field, at: token.quote, "expected a known ISO 4217 currency code such as \"EUR\", found \(excerpt(token.quote, token.end + 1))")
        }
        return code
    }

    /// Event time: an RFC 3339 string or integer epoch milliseconds, within `range`.
    mutating func readTimestamp(field: StaticString, range: ClosedRange<EpochMillis>) throws(DecodeError) -> EpochMillis {
        let start = offset
        let value: EpochMillis
        switch valueKind() {
        case .string:
            let token = try scanString(field: field)
            do {
                if token.hasEscapes {
                    value = try RFC3339.parse(makeString(token))
                } else {
                    value = try RFC3339.parse(UnsafeBufferPointer(start: base + token.start, count: token.end - token.start))
                }
            } catch {
                throw invalid(field, at: start, "expected an RFC 3339 date-time, found \(excerpt(token.quote, token.end + 1)): \(error.reason)")
            }
        case .number:
            let token = try scanNumber(field: field)
            guard let millis = makeInteger(token) else {
                throw invalid(field, at: start, "expected integer epoch milliseconds, found \(excerpt(token.start, token.end))")
            }
            value = millis
        default:
            throw wrongType(field: field, expected: "an RFC 3339 string or integer epoch milliseconds")
        }
        guard range.contains(value) else {
            throw invalid(field, at: start, "expected a time from \(RFC3339.format(range.lowerBound)) to \(RFC3339.format(range.upperBound)), found \(excerpt(start, offset))")
        }
        return value
    }

    /// An optional timestamp: nil for `null`.
    mutating func readOptionalTimestamp(field: StaticString, range: ClosedRange<EpochMillis>) throws(DecodeError) -> EpochMillis? {
        if consumeNull() { return nil }
        return try readTimestamp(field: field, range: range)
    }

    /// An optional integer in `range`: nil for `null`. `5.0` counts as an integer, `5e0` does not.
    mutating func readOptionalInteger(field: StaticString, range: ClosedRange<Int64>) throws(DecodeError) -> Int? {
        if consumeNull() { return nil }
        guard valueKind() == .number else { throw wrongType(field: field, expected: "an integer") }
        let token = try scanNumber(field: field)
        guard let value = makeInteger(token) else {
            if token.hasExponent {
                throw invalid(field, at: token.start, "exponent notation is not accepted, found \(excerpt(token.start, token.end))")
            }
            if token.integerEnd - token.integerStart > 18 {
                throw invalid(field, at: token.start, "expected an integer from \(range.lowerBound) to \(range.upperBound), found \(excerpt(token.start, token.end))")
            }
            throw invalid(field, at: token.start, "expected an integer, found \(excerpt(token.start, token.end))")
        }
        guard range.contains(value) else {
            throw invalid(field, at: token.start, "expected an integer from \(range.lowerBound) to \(range.upperBound), found \(excerpt(token.start, token.end))")
        }
        return Int(value)
    }

    /// An optional number in `range`: nil for `null`. Exponent notation is accepted here.
    mutating func readOptionalCoordinate(field: StaticString, range: ClosedRange<Double>) throws(DecodeError) -> Double? {
        if consumeNull() { return nil }
        guard valueKind() == .number else { throw wrongType(field: field, expected: "a number") }
        let token = try scanNumber(field: field)
        let value = makeDouble(token)
        guard range.contains(value) else {
            throw invalid(field, at: token.start, "expected a number from \(range.lowerBound) to \(range.upperBound), found \(excerpt(token.start, token.end))")
        }
        return value
    }

    /// An optional ISO 3166-1 alpha-2 code: exactly two uppercase ASCII letters.
    mutating func readOptionalCountry(field: StaticString) throws(DecodeError) -> String? {
        if consumeNull() { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw wrongType(field: field, expected: "a string") }
        let token = try scanString(field: field)
        let ok = withDecodedBytes(token) { bytes in
            bytes.count == 2 && bytes.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        }
        guard ok else {
            throw invalid(field, at: token.quote, "expected an ISO 3166-1 alpha-2 code (two uppercase letters), found \(excerpt(token.quote, token.end + 1))")
        }
        return makeString(token)
    }

    /// An optional lowercase snake_case word (`card_present`) of at most `maxLength` characters.
    mutating func readOptionalChannel(field: StaticString, maxLength: Int) throws(DecodeError) -> String? {
        if consumeNull() { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw wrongType(field: field, expected: "a string") }
        let token = try scanString(field: field)
        let ok = withDecodedBytes(token) { bytes in
            guard let first = bytes.first, first &- UInt8(ascii: "a") < 26 else { return false }
            for b in bytes where !(b &- UInt8(ascii: "a") < 26 || b &- UInt8(ascii: "0") < 10 || b == UInt8(ascii: "_")) {
                return false
            }
            return true
        }
        guard ok else {
            throw invalid(field, at: token.quote, "expected lowercase snake_case such as \"card_present\", found \(excerpt(token.quote, token.end + 1))")
        }
        guard token.scalarCount <= maxLength else {
            throw invalid(field, at: token.quote, "longer than \(maxLength) characters (\(token.scalarCount))")
        }
        return makeString(token)
    }
}
