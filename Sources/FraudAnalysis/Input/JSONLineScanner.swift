#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a JSON line could not be read: what was wrong and at which byte.
struct JSONScanError: Error {
    var detail: String
    var offset: Int
}

/// A small byte-level scanner over one JSON object (one NDJSON line): strings, numbers and
/// literals are read in place and everything else is skipped, without building a tree.
/// Used for decision records, whose decoders in other modules are internal to them.
struct JSONLineScanner {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inline(__always) func peek() -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    func error(_ detail: String, at index: Int? = nil) -> JSONScanError {
        JSONScanError(detail: detail, offset: index ?? offset)
    }

    func describeNext() -> String {
        guard offset < bytes.count else { return "the end of the line" }
        let b = bytes[offset]
        return b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONScanError) {
        skipWhitespace()
        guard peek() == byte else { throw error("expected \(what), found \(describeNext())") }
        offset += 1
    }

    /// Consumes `byte` (after whitespace) when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard peek() == byte else { return false }
        offset += 1
        return true
    }

    /// The kind of the next value, after whitespace: `"`, `{`, `[`, `t`, `f`, `n`, or `0` for a number.
    mutating func nextKind() -> UInt8 {
        skipWhitespace()
        let b = peek()
        switch b {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(ascii: "0")
        default: return b
        }
    }

    // MARK: Strings

    /// Reads a string value (the next token must be one), decoding escapes.
    mutating func readString() throws(JSONScanError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string, found \(describeNext())") }
        let start = offset + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                offset = i + 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if b < 0x20 { throw error("control character in a string", at: i) }
            i += 1
        }
        throw error("unterminated string", at: start - 1)
    }

    /// Reads an object key in place when it has no escapes (the bytes are valid until the
    /// line is released); a key with escapes is decoded.
    mutating func readKey() throws(JSONScanError) -> [UInt8]? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a key (a string), found \(describeNext())") }
        var i = offset + 1
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            keyRange = offset + 1..<i
            offset = i + 1
            return nil
        }
        return Array(try readString().utf8)
    }

    /// The raw bytes of the key most recently read in place by ``readKey()``.
    var keyRange: Range<Int> = 0..<0

    /// True when the key read in place by ``readKey()`` (or `decoded`) equals `literal`.
    func keyEquals(_ literal: StaticString, decoded: [UInt8]?) -> Bool {
        let n = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        if let decoded {
            guard decoded.count == n else { return false }
            for i in 0..<n where decoded[i] != p[i] { return false }
            return true
        }
        guard keyRange.count == n else { return false }
        let base = keyRange.lowerBound
        for i in 0..<n where bytes[base + i] != p[i] { return false }
        return true
    }

    private mutating func readEscapedString(from start: Int) throws(JSONScanError) -> String {
        var out: [UInt8] = []
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                offset = i + 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in a string", at: i) }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { break }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                   bytes[i + 1] == UInt8(ascii: "u") {
                    let low = try hex4(at: i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("\\u escape of a lone surrogate", at: i - 6) }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw error("invalid escape \\\(Character(Unicode.Scalar(e)))", at: i - 2)
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    private func hex4(at index: Int) throws(JSONScanError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape", at: index) }
        var value: UInt32 = 0
        for j in index..<index + 4 {
            let b = bytes[j]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape", at: index)
            }
            value = value << 4 | digit
        }
        return value
    }

    // MARK: Numbers and literals

    /// The bytes of the number token that comes next (JSON number characters).
    mutating func readNumberBytes() throws(JSONScanError) -> UnsafeRawBufferPointer {
        skipWhitespace()
        let start = offset
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                offset += 1
            default:
                guard offset > start else { throw error("expected a number, found \(describeNext())") }
                return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
            }
        }
        guard offset > start else { throw error("expected a number, found the end of the line") }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// Reads a number as a `Double` (strtod over the token; the whole token must parse).
    mutating func readDouble() throws(JSONScanError) -> Double {
        let start = offset
        let token = try readNumberBytes()
        let value: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: token.count + 1) { buffer in
            for (i, b) in token.enumerated() { buffer[i] = CChar(bitPattern: b) }
            buffer[token.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let parsed = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + token.count ? parsed : nil
        }
        guard let value else { throw error("malformed number", at: start) }
        return value
    }

    /// Reads `true` or `false`; nil (nothing consumed) when neither is next.
    mutating func readBoolean() -> Bool? {
        if matches("true") { offset += 4; return true }
        if matches("false") { offset += 5; return false }
        return nil
    }

    /// Consumes `null` when it is next.
    mutating func readNull() -> Bool {
        skipWhitespace()
        guard matches("null") else { return false }
        offset += 4
        return true
    }

    private mutating func matches(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let n = literal.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where bytes[offset + i] != p[i] { return false }
        return true
    }

    /// Skips one value of any type, nested values included.
    mutating func skipValue(depth: Int = 0) throws(JSONScanError) {
        guard depth < Self.maxDepth else { throw error("values nested deeper than \(Self.maxDepth)") }
        switch nextKind() {
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "0"): _ = try readNumberBytes()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard readBoolean() != nil else { throw error("expected a value, found \(describeNext())") }
        case UInt8(ascii: "n"):
            guard readNull() else { throw error("expected a value, found \(describeNext())") }
        case UInt8(ascii: "["):
            offset += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "',' or ']'")
        case UInt8(ascii: "{"):
            offset += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readString()
                try expect(UInt8(ascii: ":"), "':'")
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}'")
        default:
            throw error("expected a value, found \(describeNext())")
        }
    }
}
