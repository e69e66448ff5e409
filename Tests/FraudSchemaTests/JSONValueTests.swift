import Testing
@testable import FraudSchema

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a":[1,-2.5e3,true,false,null,"s"],"b":{},"c":[]} "#)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["a", "b", "c"])
        #expect(value["a"] == .array([.number(JSONNumber(1)), .number(JSONNumber("-2500")!), .bool(true), .bool(false), .null, .string("s")]))
        #expect(value["b"] == .object(JSONObject()))
        #expect(value["c"] == .array([]))
    }

    @Test func booleansAreNotNumbers() throws {
        #expect(try JSONValue.parse("true") == .bool(true))
        #expect(try JSONValue.parse("1") != JSONValue.parse("true"))
        #expect(try JSONValue.parse("0") != JSONValue.parse("false"))
        #expect(try JSONValue.parse("true").typeName == "boolean")
        #expect(try JSONValue.parse("1").typeName == "number")
    }

    @Test func numbersCompareByValueAndObjectsIgnoreOrder() throws {
        #expect(try JSONValue.parse("1") == JSONValue.parse("1.0"))
        #expect(try JSONValue.parse("100") == JSONValue.parse("1e2"))
        #expect(try JSONValue.parse("-0") == JSONValue.parse("0"))
        #expect(try JSONValue.parse(#"{"a":1,"b":2}"#) == JSONValue.parse(#"{"b":2.0,"a":1}"#))
        #expect(try JSONValue.parse("[1,2]") != JSONValue.parse("[2,1]"))
    }

    @Test func decodesEscapes() throws {
        #expect(try JSONValue.parse(#""q\"b\\s\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("q\"b\\s/\u{08}\u{0C}\n\r\té😀"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "nul", "\"abc", "{a:1}", "[1 2]",
        "\"\\x\"", "\"\\uD800\"", "\"\\uDC00\"", "\"\\u12\"", "\"a\nb\"", "1 2", "{}{}",
        #"{"a":1,"a":2}"#,  // duplicate keys
    ])
    func rejectsNonJSON(text: String) {
        #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
    }

    @Test func reportsDuplicateKeyAndOffset() {
        #expect(throws: JSONParseError(byteOffset: 8, message: #"duplicate key "a""#)) {
            try JSONValue.parse(#"{"a":1, "a":2}"#)
        }
    }

    @Test func rejectsInvalidUTF8() throws {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
        #expect(try JSONValue.parse([0x22, 0xC3, 0xA9, 0x22]) == .string("é"))
    }

    @Test func limitsNesting() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONValue.parse(ok)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func writesCompactText() throws {
        let text = #"{"b":[1,2.5,"x\n"],"a":null,"c":true}"#
        #expect(try JSONValue.parse(text).jsonText == text)
    }
}
