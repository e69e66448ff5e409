/// Byte-level JSON scanning over one message, shared by the transaction and label decoders.
///
/// Reads past the end return 0, which no valid JSON token contains outside strings, so
/// most loops need no separate bounds check.
struct JSONByteReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var offset: Int = 0

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
    }

    @inline(__always) func byte(at index: Int) -> UInt8 { index < count ? base[index] : 0 }
    @inline(__always) func peek() -> UInt8 { byte(at: offset) }
    @inline(__always) var isAtEnd: Bool { offset >= count }

    @inline(__always) mutating func skipWhitespace() {
        while offset < count {
            switch base[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    // MARK: Errors

    func malformed(_ detail: String, at index: Int, field: StaticString? = nil) -> DecodeError {
        DecodeError(field: field.map { "\($0)" }, kind: .malformedJSON, byteOffset: index, detail: detail)
    }

    /// "unexpected end of message" or "unexpected 'x'" at `index`.
    func unexpected(at index: Int, expected: String, field: StaticString? = nil) -> DecodeError {
        if index >= count {
            return malformed("unexpected end of message, expected \(expected)", at: index, field: field)
        }
        return malformed("expected \(expected), found \(describeByte(base[index]))", at: index, field: field)
    }

    func describeByte(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x\(b < 16 ? "0" : "")\(hex)"
    }

    /// The raw text of `start..<end`, shortened for messages.
    func excerpt(_ start: Int, _ end: Int) -> String {
        let limit = 40
        let stop = min(end, start + limit, count)
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: max(0, stop - start)), as: UTF8.self)
        return stop < end ? text + "…" : text
    }

    /// The JSON type of the value starting at the current offset.
    func valueKind() -> JSONValueKind {
        switch peek() {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        default: return .invalid
        }
    }

    /// Malformed JSON if the current bytes cannot start a value (expected: `malformedExpected`),
    /// otherwise a wrong-type error; `field` nil for the message itself.
    func wrongType(field: StaticString?, expected: String, malformedExpected: String = "a value") -> DecodeError {
        let kind = valueKind()
        if kind == .invalid { return unexpected(at: offset, expected: malformedExpected, field: field) }
        // Make sure a literal really is one before naming its type.
        let literalIsValid: Bool
        switch kind {
        case .null: literalIsValid = matchesLiteral("null")
        case .boolean: literalIsValid = matchesLiteral("true") || matchesLiteral("false")
        default: literalIsValid = true
        }
        if !literalIsValid { return unexpected(at: offset, expected: malformedExpected, field: field) }
        return DecodeError(
            field: field.map { "\($0)" }, kind: .wrongType, byteOffset: offset, detail: "expected \(expected), found \(kind.phrase)")
    }

    @inline(__always) func matchesLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset + n <= count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where base[offset + i] != p[i] { return false }
        return true
    }

    /// Consumes `null` if it is the next value; true when it did.
    @inline(__always) mutating func consumeNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), matchesLiteral("null") else { return false }
        offset += 4
        return true
    }

    /// Consumes `true` or `false`; nil (and nothing consumed) when the next value is neither.
    @inline(__always) mutating func consumeBoolean() -> Bool? {
        if peek() == UInt8(ascii: "t"), matchesLiteral("true") { offset += 4; return true }
        if peek() == UInt8(ascii: "f"), matchesLiteral("false") { offset += 5; return false }
        return nil
    }

    // MARK: Strings

    /// Scans the string whose opening quote is at the current offset and moves past its closing quote.
    mutating func scanString(field: StaticString?) throws(DecodeError) -> JSONStringToken {
        let quote = offset
        let base = self.base
        let count = self.count
        var i = offset + 1
        var hasEscapes = false
        var scalars = 0
        while true {
            // Fast path: eight plain printable ASCII bytes at a time, jumping straight to the
            // first byte that needs a look; near the end of the message, one byte at a time.
            while i + 8 <= count {
                let special = JSONByteReader.specialBytes(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                if special == 0 {
                    i += 8
                    scalars += 8
                } else {
                    let plain = special.trailingZeroBitCount >> 3
                    i += plain
                    scalars += plain
                    break
                }
            }
            while i < count {
                let b = base[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b < 0x80 {
                    i += 1
                    scalars += 1
                } else {
                    break
                }
            }
            guard i < count else { throw malformed("unterminated string", at: quote, field: field) }
            let b = base[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                hasEscapes = true
                i = try scanEscape(at: i, field: field)
                scalars += 1
            } else if b < 0x20 {
                throw malformed("control character \(describeByte(b)) in string must be escaped", at: i, field: field)
            } else {
                i += try utf8SequenceLength(at: i, field: field)
                scalars += 1
            }
        }
        offset = i + 1
        return JSONStringToken(quote: quote, start: quote + 1, end: i, hasEscapes: hasEscapes, scalarCount: scalars)
    }

    /// For eight bytes loaded little-endian: zero when none is `"`, `\\`, a control character
    /// (< 0x20) or non-ASCII (≥ 0x80) — the bytes a string scan must look at one by one —
    /// otherwise a mask whose lowest set bit is the high bit of the first such byte.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        // Classic SWAR byte tests: (x - 0x01…) & ~x sets a byte's high bit when that byte of x
        // is zero, and subtracting 0x20… sets it for a byte below 0x20; bytes ≥ 0x80 have
        // their own high bit. Borrows can only mark bytes above a true hit, so the lowest
        // mark is exact.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hits = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20) | word
        return hits & high
    }

    /// Validates the escape starting with the backslash at `index`; returns the offset after it.
    private func scanEscape(at index: Int, field: StaticString?) throws(DecodeError) -> Int {
        switch byte(at: index + 1) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(at: index + 2) else {
                throw malformed("invalid \\u escape: expected four hex digits", at: index, field: field)
            }
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw DecodeError(field: field.map { "\($0)" }, kind: .invalidUTF8, byteOffset: index, detail: "lone low surrogate \\u\(hexText(unit)) in string")
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard byte(at: index + 6) == UInt8(ascii: "\\"), byte(at: index + 7) == UInt8(ascii: "u"),
                      let low = hex4(at: index + 8), low >= 0xDC00 && low <= 0xDFFF
                else {
                    throw DecodeError(field: field.map { "\($0)" }, kind: .invalidUTF8, byteOffset: index, detail: "high surrogate \\u\(hexText(unit)) not followed by a low surrogate")
                }
                return index + 12
            }
            return index + 6
        default:
            if index + 1 >= count { throw malformed("unterminated string", at: index, field: field) }
            throw malformed("invalid escape \\\(excerpt(index + 1, index + 2)) in string", at: index, field: field)
        }
    }

    private func hexText(_ unit: UInt32) -> String {
        let text = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - text.utf8.count)) + text
    }

    @inline(__always) func hex4(at index: Int) -> UInt32? {
        guard index + 4 <= count else { return nil }
        var value: UInt32 = 0
        for k in index..<(index + 4) {
            let b = base[k]
            let nibble: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }

    /// Length of the well-formed UTF-8 sequence (2–4 bytes) that starts with the non-ASCII byte at
    /// `index`; rejects overlong forms, surrogates and values above U+10FFFF (RFC 3629).
    private func utf8SequenceLength(at index: Int, field: StaticString?) throws(DecodeError) -> Int {
        let b0 = base[index]
        let b1 = byte(at: index + 1)
        @inline(__always) func cont(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            if cont(b1) { return 2 }
        case 0xE0:
            if b1 >= 0xA0 && b1 <= 0xBF && cont(byte(at: index + 2)) { return 3 }
        case 0xE1...0xEC, 0xEE...0xEF:
            if cont(b1) && cont(byte(at: index + 2)) { return 3 }
        case 0xED:
            if b1 >= 0x80 && b1 <= 0x9F && cont(byte(at: index + 2)) { return 3 }
        case 0xF0:
            if b1 >= 0x90 && b1 <= 0xBF && cont(byte(at: index + 2)) && cont(byte(at: index + 3)) { return 4 }
        case 0xF1...0xF3:
            if cont(b1) && cont(byte(at: index + 2)) && cont(byte(at: index + 3)) { return 4 }
        case 0xF4:
            if b1 >= 0x80 && b1 <= 0x8F && cont(byte(at: index + 2)) && cont(byte(at: index + 3)) { return 4 }
        default:
            break
        }
        throw DecodeError(field: field.map { "\($0)" }, kind: .invalidUTF8, byteOffset: index, detail: "invalid UTF-8 byte sequence in string")
    }

    /// The decoded content of a scanned string.
    func makeString(_ token: JSONStringToken) -> String {
        let length = token.end - token.start
        if !token.hasEscapes {
            return String(decoding: UnsafeBufferPointer(start: base + token.start, count: length), as: UTF8.self)
        }
        // Escapes never decode to more bytes than they occupy.
        return String(unsafeUninitializedCapacity: length) { buffer in
            unescape(token, into: buffer.baseAddress!)
        }
    }

    /// Calls `body` with the decoded UTF-8 bytes of a scanned string.
    @inline(__always)
    func withDecodedBytes<R>(_ token: JSONStringToken, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !token.hasEscapes {
            return body(UnsafeBufferPointer(start: base + token.start, count: token.end - token.start))
        }
        let length = token.end - token.start
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, length)) { buffer in
            let n = unescape(token, into: buffer.baseAddress!)
            return body(UnsafeBufferPointer(start: buffer.baseAddress!, count: n))
        }
    }

    /// Writes the decoded UTF-8 of an already validated string; returns the number of bytes written.
    private func unescape(_ token: JSONStringToken, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = token.start
        var n = 0
        @inline(__always) func put(_ b: UInt8) {
            out[n] = b
            n += 1
        }
        while i < token.end {
            let b = base[i]
            guard b == UInt8(ascii: "\\") else {
                put(b)
                i += 1
                continue
            }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)!
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = hex4(at: i + 2)!
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                for unit in UTF8.encode(Unicode.Scalar(scalar)!)! { put(unit) }
            default: put(e)  // \" \\ \/
            }
        }
        return n
    }

    // MARK: Numbers

    /// Scans a number at the current offset (checked against the JSON grammar) and moves past it.
    mutating func scanNumber(field: StaticString?) throws(DecodeError) -> JSONNumberToken {
        let start = offset
        var i = offset
        var negative = false
        if byte(at: i) == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
        let integerStart = i
        let first = byte(at: i)
        if first == UInt8(ascii: "0") {
            i += 1
            if isDigit(byte(at: i)) { throw malformed("leading zeros are not allowed in numbers", at: start, field: field) }
        } else if isDigit(first) {
            i += 1
            while isDigit(byte(at: i)) { i += 1 }
        } else {
            throw unexpected(at: i, expected: "a digit", field: field)
        }
        let integerEnd = i
        var fractionStart = i
        var fractionEnd = i
        if byte(at: i) == UInt8(ascii: ".") {
            i += 1
            fractionStart = i
            guard isDigit(byte(at: i)) else { throw unexpected(at: i, expected: "a digit after '.'", field: field) }
            while isDigit(byte(at: i)) { i += 1 }
            fractionEnd = i
        }
        var hasExponent = false
        if byte(at: i) | 0x20 == UInt8(ascii: "e") {
            hasExponent = true
            i += 1
            if byte(at: i) == UInt8(ascii: "+") || byte(at: i) == UInt8(ascii: "-") { i += 1 }
            guard isDigit(byte(at: i)) else { throw unexpected(at: i, expected: "a digit in the exponent", field: field) }
            while isDigit(byte(at: i)) { i += 1 }
        }
        offset = i
        return JSONNumberToken(
            start: start, end: i, negative: negative, integerStart: integerStart, integerEnd: integerEnd,
            fractionStart: fractionStart, fractionEnd: fractionEnd, hasExponent: hasExponent
        )
    }

    /// Converts a number token to a Double with correct rounding.
    func makeDouble(_ token: JSONNumberToken) -> Double {
        // Clinger's fast path: up to 15 significant digits and a power of ten up to 22 are
        // both exact in binary64, so one multiplication or division rounds correctly.
        let integerDigits = token.integerEnd - token.integerStart
        let fractionDigits = token.fractionEnd - token.fractionStart
        if !token.hasExponent && integerDigits + fractionDigits <= 15 {
            var mantissa: Int64 = 0
            for k in token.integerStart..<token.integerEnd { mantissa = mantissa * 10 + Int64(base[k] &- 48) }
            for k in token.fractionStart..<token.fractionEnd { mantissa = mantissa * 10 + Int64(base[k] &- 48) }
            var value = Double(mantissa) / JSONByteReader.powersOfTen[fractionDigits]
            if token.negative { value = -value }
            return value
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + token.start, count: token.end - token.start), as: UTF8.self)
        return Double(text) ?? .nan
    }

    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The integer value of a token without exponent whose fraction, if any, is all zeros
    /// (JSON Schema counts `5.0` as an integer). Nil when it is not such an integer or has
    /// more than 18 digits.
    func makeInteger(_ token: JSONNumberToken) -> Int64? {
        guard !token.hasExponent else { return nil }
        for k in token.fractionStart..<token.fractionEnd where base[k] != UInt8(ascii: "0") { return nil }
        guard token.integerEnd - token.integerStart <= 18 else { return nil }
        var value: Int64 = 0
        for k in token.integerStart..<token.integerEnd { value = value * 10 + Int64(base[k] &- 48) }
        return token.negative ? -value : value
    }

    // MARK: Skipping

    /// Skips (and validates) any JSON value at the current offset; `depth` is the nesting depth
    /// of the container holding it.
    mutating func skipValue(depth: Int, field: StaticString?) throws(DecodeError) {
        switch peek() {
        case UInt8(ascii: "\""):
            _ = try scanString(field: field)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber(field: field)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard consumeBoolean() != nil else { throw unexpected(at: offset, expected: "a value", field: field) }
        case UInt8(ascii: "n"):
            guard consumeNull() else { throw unexpected(at: offset, expected: "a value", field: field) }
        case UInt8(ascii: "["):
            try skipContainer(depth: depth + 1, close: UInt8(ascii: "]"), field: field)
        case UInt8(ascii: "{"):
            try skipContainer(depth: depth + 1, close: UInt8(ascii: "}"), field: field)
        default:
            throw unexpected(at: offset, expected: "a value", field: field)
        }
    }

    private mutating func skipContainer(depth: Int, close: UInt8, field: StaticString?) throws(DecodeError) {
        guard depth <= maxDepth else {
            throw DecodeError(field: field.map { "\($0)" }, kind: .tooDeep, byteOffset: offset, detail: "nesting deeper than \(maxDepth) levels")
        }
        let isObject = close == UInt8(ascii: "}")
        offset += 1
        skipWhitespace()
        if peek() == close {
            offset += 1
            return
        }
        while true {
            if isObject {
                guard peek() == UInt8(ascii: "\"") else { throw unexpected(at: offset, expected: "a key string", field: field) }
                _ = try scanString(field: field)
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw unexpected(at: offset, expected: "':'", field: field) }
                offset += 1
                skipWhitespace()
            }
            try skipValue(depth: depth, field: field)
            skipWhitespace()
            let b = peek()
            if b == UInt8(ascii: ",") {
                offset += 1
                skipWhitespace()
            } else if b == close {
                offset += 1
                return
            } else {
                throw unexpected(at: offset, expected: isObject ? "',' or '}'" : "',' or ']'", field: field)
            }
        }
    }
}
