import Testing
@testable import FraudSchema

/// One group of tests per implemented keyword, each with an accepted and a rejected instance.
@Suite struct JSONSchemaKeywordTests {
    func schema(_ text: String) throws -> JSONSchema { try JSONSchema(parsing: text) }

    /// Violations of `instance` (JSON text) against `schemaText`.
    func check(_ schemaText: String, _ instance: String) throws -> [SchemaViolation] {
        try schema(schemaText).validate(try JSONValue.parse(instance))
    }

    func messages(_ schemaText: String, _ instance: String) throws -> [String] {
        try check(schemaText, instance).map(\.description)
    }

    @Test func type() throws {
        #expect(try check(#"{"type":"string"}"#, #""x""#).isEmpty)
        #expect(try messages(#"{"type":"string"}"#, "1") == ["/: must be string, found number 1"])
        #expect(try messages(#"{"type":"number"}"#, "true") == ["/: must be number, found boolean"])
        #expect(try check(#"{"type":"boolean"}"#, "false").isEmpty)
        #expect(try !check(#"{"type":"boolean"}"#, "0").isEmpty)
        #expect(try check(#"{"type":["string","null"]}"#, "null").isEmpty)
        #expect(try messages(#"{"type":["string","null"]}"#, "{}") == ["/: must be string or null, found object"])
        #expect(try check(#"{"type":"array"}"#, "[]").isEmpty && check(#"{"type":"object"}"#, "{}").isEmpty)
    }

    @Test func integerVersusNumber() throws {
        #expect(try check(#"{"type":"integer"}"#, "5").isEmpty)
        #expect(try check(#"{"type":"integer"}"#, "5.0").isEmpty)  // zero fraction counts as integer
        #expect(try messages(#"{"type":"integer"}"#, "5.5") == ["/: must be integer, found number 5.5"])
        #expect(try check(#"{"type":"number"}"#, "5").isEmpty)
    }

    @Test func enumAndConst() throws {
        let actions = #"{"enum":["alert","review","block"]}"#
        #expect(try check(actions, #""review""#).isEmpty)
        #expect(try messages(actions, #""decline""#) == [#"/: must be one of "alert", "review", "block", found "decline""#])
        #expect(try check(#"{"enum":[1,{"a":[true]}]}"#, #"{"a":[true]}"#).isEmpty)
        #expect(try check(#"{"enum":[1]}"#, "1.0").isEmpty)
        #expect(try check(#"{"const":null}"#, "null").isEmpty)
        #expect(try messages(#"{"const":"v1"}"#, #""v2""#) == [#"/: must be "v1""#])
        #expect(try !check(#"{"const":false}"#, "0").isEmpty)
    }

    @Test func numericBounds() throws {
        #expect(try messages(#"{"minimum":0}"#, "-1") == ["/: must be >= 0, found -1"])
        #expect(try check(#"{"minimum":0}"#, "0").isEmpty)
        #expect(try messages(#"{"maximum":1}"#, "1.0000001") == ["/: must be <= 1, found 1.0000001"])
        #expect(try check(#"{"maximum":1}"#, "1").isEmpty)
        #expect(try messages(#"{"exclusiveMinimum":0}"#, "0") == ["/: must be > 0, found 0"])
        #expect(try check(#"{"exclusiveMinimum":0}"#, "0.0001").isEmpty)
        #expect(try messages(#"{"exclusiveMaximum":1}"#, "1") == ["/: must be < 1, found 1"])
        #expect(try check(#"{"minimum":0}"#, #""-1""#).isEmpty)  // bounds ignore non-numbers
        #expect(try check(#"{"maximum":4133980799999}"#, "4133980799999").isEmpty)
        #expect(try !check(#"{"maximum":4133980799999}"#, "4133980800000").isEmpty)
    }

    @Test func multipleOf() throws {
        #expect(try check(#"{"multipleOf":0.0001}"#, "12.3456").isEmpty)
        #expect(try messages(#"{"multipleOf":0.0001}"#, "12.34567") == ["/: must be a multiple of 0.0001, found 12.34567"])
        #expect(try check(#"{"multipleOf":0.1}"#, "0.3").isEmpty)
        #expect(throws: SchemaError.self) { try schema(#"{"multipleOf":0}"#) }
    }

    @Test func stringLength() throws {
        #expect(try messages(#"{"minLength":1}"#, #""""#) == ["/: must not be empty"])
        #expect(try messages(#"{"minLength":3}"#, #""ab""#) == ["/: must be at least 3 characters long"])
        #expect(try messages(#"{"maxLength":2}"#, #""abc""#) == ["/: must be at most 2 characters long, found 3"])
        #expect(try check(#"{"maxLength":2}"#, #""éé""#).isEmpty)  // characters, not bytes
        #expect(try check(#"{"maxLength":1}"#, #""😀""#).isEmpty)
    }

    @Test func pattern() throws {
        #expect(try check(#"{"pattern":"^[A-Z]{2}$"}"#, #""FR""#).isEmpty)
        #expect(try messages(#"{"pattern":"^[A-Z]{2}$"}"#, #""fr""#) == [#"/: must match the pattern ^[A-Z]{2}$, found "fr""#])
        #expect(try check(#"{"pattern":"b"}"#, #""abc""#).isEmpty)  // unanchored search
        #expect(throws: SchemaError.self) { try schema(#"{"pattern":"("}"#) }
    }

    @Test func formatDateTime() throws {
        let s = #"{"format":"date-time"}"#
        for ok in ["2026-04-01T12:00:00.123Z", "2026-04-01T14:00:00+02:00", "2024-02-29t00:00:00z", "2026-04-01T12:00:00.123456Z"] {
            #expect(try check(s, "\"\(ok)\"").isEmpty, "\(ok)")
        }
        for bad in ["2026-02-29T00:00:00Z", "2026-04-01T12:00:00", "2026-04-01 12:00:00Z", "2026-04-01T12:00:60Z", "2026-04-01T12:00:00+25:00", "yesterday"] {
            let violations = try check(s, "\"\(bad)\"")
            #expect(violations.map(\.keyword) == ["format"], "\(bad)")
        }
        #expect(try check(s, "12").isEmpty)  // formats apply to strings only
        #expect(throws: SchemaError(kind: .unsupportedFormat, schemaPath: "/format", message: #"unsupported format "email": only date-time is implemented"#)) {
            try schema(#"{"format":"email"}"#)
        }
    }

    @Test func requiredAndProperties() throws {
        let s = #"{"type":"object","required":["a","b"],"properties":{"a":{"type":"string"},"c":{"type":"integer"}}}"#
        #expect(try check(s, #"{"a":"x","b":1}"#).isEmpty)
        #expect(try messages(s, #"{"a":1,"c":1.5}"#) == ["/b: is required", "/a: must be string, found number 1", "/c: must be integer, found number 1.5"])
        #expect(try check(s, "[]").map(\.keyword) == ["type"])  // object keywords ignore non-objects
    }

    @Test func additionalProperties() throws {
        let closed = #"{"properties":{"a":{}},"additionalProperties":false}"#
        #expect(try check(closed, #"{"a":1}"#).isEmpty)
        #expect(try messages(closed, #"{"a":1,"b/c":2}"#) == ["/b~1c: is not allowed (not a property of this object)"])
        let typed = #"{"properties":{"a":{}},"additionalProperties":{"type":"number"}}"#
        #expect(try messages(typed, #"{"a":"x","z":"y"}"#) == [#"/z: must be number, found string"#])
        let patterned = #"{"patternProperties":{"^x_":{"type":"string"}},"additionalProperties":false}"#
        #expect(try check(patterned, #"{"x_a":"ok"}"#).isEmpty)
        #expect(try messages(patterned, #"{"x_a":1,"y":1}"#) == ["/x_a: must be string, found number 1", "/y: is not allowed (not a property of this object)"])
    }

    @Test func propertyCounts() throws {
        #expect(try check(#"{"minProperties":1,"maxProperties":2}"#, #"{"a":1}"#).isEmpty)
        #expect(try check(#"{"minProperties":1}"#, "{}").map(\.keyword) == ["minProperties"])
        #expect(try check(#"{"maxProperties":1}"#, #"{"a":1,"b":2}"#).map(\.keyword) == ["maxProperties"])
    }

    @Test func itemsAndCounts() throws {
        let s = #"{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}"#
        #expect(try check(s, #"["a"]"#).isEmpty)
        #expect(try messages(s, #"["a",2]"#) == ["/1: must be string, found number 2"])
        #expect(try messages(s, "[]") == ["/: must have at least 1 items, found 0"])
        #expect(try check(s, #"["a","b","c"]"#).map(\.keyword) == ["maxItems"])
        #expect(throws: SchemaError.self) { try schema(#"{"items":[{"type":"string"}]}"#) }
    }

    @Test func uniqueItems() throws {
        #expect(try check(#"{"uniqueItems":true}"#, #"[1,"1",true,{"a":1},{"a":2}]"#).isEmpty)
        #expect(try messages(#"{"uniqueItems":true}"#, #"[{"a":1,"b":2},3,{"b":2,"a":1.0}]"#) == ["/: must not contain duplicates: items 0 and 2 are equal"])
        #expect(try check(#"{"uniqueItems":false}"#, "[1,1]").isEmpty)
    }

    @Test func combinators() throws {
        let any = #"{"anyOf":[{"type":"string"},{"minimum":10}]}"#
        #expect(try check(any, #""x""#).isEmpty && check(any, "11").isEmpty)
        #expect(try messages(any, "5") == ["/: must match at least one of 2 alternatives: (1) must be string, found number 5; (2) must be >= 10, found 5"])
        let one = #"{"oneOf":[{"type":"integer"},{"minimum":10}]}"#
        #expect(try check(one, "5").isEmpty && check(one, "10.5").isEmpty)
        #expect(try messages(one, "11") == ["/: must match exactly one of 2 alternatives, matched 2: 1, 2"])
        #expect(try check(one, "5.5").map(\.keyword) == ["oneOf"])
        let all = #"{"allOf":[{"minimum":0},{"maximum":1}]}"#
        #expect(try check(all, "0.5").isEmpty)
        #expect(try messages(all, "2") == ["/: must be <= 1, found 2"])
        #expect(try check(#"{"not":{"type":"null"}}"#, "1").isEmpty)
        #expect(try check(#"{"not":{"type":"null"}}"#, "null").map(\.keyword) == ["not"])
    }

    @Test func referencesToDefinitions() throws {
        let s = ##"{"$defs":{"reason":{"type":"object","required":["code"]}},"type":"array","items":{"$ref":"#/$defs/reason"}}"##
        #expect(try check(s, #"[{"code":"x"}]"#).isEmpty)
        #expect(try messages(s, #"[{"code":"x"},{}]"#) == ["/1/code: is required"])
        let recursive = ##"{"type":"object","properties":{"child":{"$ref":"#"}},"additionalProperties":false}"##
        #expect(try check(recursive, #"{"child":{"child":{}}}"#).isEmpty)
        #expect(try messages(recursive, #"{"child":{"x":1}}"#) == ["/child/x: is not allowed (not a property of this object)"])
        #expect(try check(##"{"$ref":"#"}"##, "1").map(\.keyword) == ["$ref"])  // a cycle is reported, not looped forever
    }

    @Test func booleanSchemas() throws {
        #expect(try check("true", "[1]").isEmpty)
        #expect(try messages("false", "1") == ["/: is not allowed"])
        #expect(try messages(#"{"properties":{"a":false}}"#, #"{"a":1}"#) == ["/a: is not allowed"])
    }

    @Test func refusesWhatItDoesNotImplement() throws {
        #expect(throws: SchemaError(kind: .unsupportedKeyword, schemaPath: "/properties/a/dependentSchemas",
                                     message: #"unsupported keyword "dependentSchemas": this validator implements only "# + SchemaCompiler.implemented.joined(separator: ", "))) {
            try schema(#"{"properties":{"a":{"dependentSchemas":{}}}}"#)
        }
        for keyword in ["if", "prefixItems", "contains", "unevaluatedProperties", "$anchor", "$dynamicRef", "propertyNames", "minContains", "typo"] {
            #expect(throws: SchemaError.self, "\(keyword)") { try schema("{\"\(keyword)\":{}}") }
        }
        #expect(throws: SchemaError.self) { try schema(##"{"$ref":"other.json#/x"}"##) }
        #expect(throws: SchemaError.self) { try schema(##"{"$ref":"#/$defs/missing"}"##) }
        #expect(throws: SchemaError.self) { try schema(#"{"$schema":"http://json-schema.org/draft-07/schema#"}"#) }
        #expect(throws: SchemaError.self) { try schema(#"{"type":"float"}"#) }
        #expect(throws: SchemaError.self) { try schema(#"{"minLength":-1}"#) }
        #expect(throws: SchemaError.self) { try schema(#"{"required":"a"}"#) }
        #expect(throws: SchemaError.self) { try schema(#"{"properties":{"a":{"$defs":{}}}}"#) }
        #expect(throws: SchemaError.self) { try schema("[]") }
        #expect(throws: SchemaError.self) { try schema("{") }
    }

    @Test func acceptsAnnotations() throws {
        let s = #"{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","title":"t","description":"d","$comment":"c","examples":[1],"default":1,"deprecated":false,"readOnly":true,"writeOnly":false}"#
        #expect(try check(s, "1").isEmpty)
    }

    @Test func pointersEscapeSpecialCharacters() throws {
        let violations = try check(#"{"properties":{"a/b":{"properties":{"m~n":{"type":"string"}}}}}"#, #"{"a/b":{"m~n":1}}"#)
        #expect(violations.map(\.instancePath) == ["/a~1b/m~0n"])
    }
}
