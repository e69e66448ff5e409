/// A small strict recursive-descent JSON parser producing ``JSONValue``.
struct JSONParser {
    static let maxDepth = 512

    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    private func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    private func fail(_ message: String, at index: Int? = nil) -> JSONParseError {
        let at = index ?? offset
        if at >= bytes.count { return JSONParseError(byteOffset: at, message: "unexpected end of input: " + message) }
        return JSONParseError(byteOffset: at, message: message)
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard offset == bytes.count else { throw fail("unexpected data after the JSON value") }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        switch byte(offset) {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("expected a JSON value")
        }
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        let expected = Array(word.utf8)
        guard offset + expected.count <= bytes.count, Array(bytes[offset..<(offset + expected.count)]) == expected else {
            throw fail("expected a JSON value")
        }
        offset += expected.count
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
        offset += 1
        var object = JSONObject()
        skipWhitespace()
        if byte(offset) == UInt8(ascii: "}") {
            offset += 1
            return .object(object)
        }
        while true {
            guard byte(offset) == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
            let keyOffset = offset
            let key = try parseString()
            guard object[key] == nil else { throw fail("duplicate key \(JSONValue.quoted(key))", at: keyOffset) }
            skipWhitespace()
            guard byte(offset) == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
            offset += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth)
            skipWhitespace()
            switch byte(offset) {
            case UInt8(ascii: ","):
                offset += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                offset += 1
                return .object(object)
            default:
                throw fail("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
        offset += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if byte(offset) == UInt8(ascii: "]") {
            offset += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            switch byte(offset) {
            case UInt8(ascii: ","):
                offset += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                offset += 1
                return .array(items)
            default:
                throw fail("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = offset
        func isNumberByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        }
        while offset < bytes.count && isNumberByte(bytes[offset]) { offset += 1 }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard let number = JSONNumber(text) else { throw fail("invalid number \(text)", at: start) }
        return number
    }

    private func hex4(_ i: Int) -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for b in bytes[i..<(i + 4)] {
            guard let nibble = UInt32(String(UnicodeScalar(b)), radix: 16) else { return nil }
            value = value << 4 | nibble
        }
        return value
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = offset
        offset += 1
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flush(_ end: Int) throws(JSONParseError) {
            guard runStart < end else { return }
            var iterator = bytes[runStart..<end].makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): scalars.append(scalar)
                case .emptyInput: return
                case .error: throw fail("invalid UTF-8 in string", at: runStart)
                }
            }
        }
        while true {
            guard offset < bytes.count else { throw fail("unterminated string", at: quote) }
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                try flush(offset)
                offset += 1
                return String(scalars)
            }
            if b < 0x20 { throw fail("unescaped control character in string") }
            guard b == UInt8(ascii: "\\") else {
                offset += 1
                continue
            }
            try flush(offset)
            let escape = byte(offset + 1)
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard var value = hex4(offset + 2) else { throw fail("invalid \\u escape") }
                if (0xD800...0xDBFF).contains(value) {
                    guard byte(offset + 6) == UInt8(ascii: "\\"), byte(offset + 7) == UInt8(ascii: "u"),
                          let low = hex4(offset + 8), (0xDC00...0xDFFF).contains(low)
                    else { throw fail("high surrogate escape without a low surrogate") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    offset += 6
                } else if (0xDC00...0xDFFF).contains(value) {
                    throw fail("lone low surrogate escape")
                }
                scalars.append(Unicode.Scalar(value)!)
                offset += 4
            default:
                throw fail("invalid escape in string")
            }
            offset += 2
            runStart = offset
        }
    }
}
