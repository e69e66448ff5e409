import Foundation

/// A compiled JSON Schema: a boolean schema or a list of checks.
indirect enum SchemaNode: Sendable {
    case boolean(Bool)
    case checks([SchemaCheck])
}

/// JSON Schema instance types, `integer` included.
enum SchemaType: String, Sendable, CaseIterable {
    case null, boolean, object, array, number, string, integer

    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string), (.number, .number):
            return true
        case (.integer, .number(let number)):
            return number.isInteger
        default:
            return false
        }
    }
}

/// A compiled regular expression with its source, for messages.
struct SchemaPattern: Sendable {
    let source: String
    let regex: NSRegularExpression

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// One compiled keyword.
indirect enum SchemaCheck: Sendable {
    case type([SchemaType])
    case enumeration([JSONValue])
    case constant(JSONValue)
    case minimum(JSONNumber)
    case maximum(JSONNumber)
    case exclusiveMinimum(JSONNumber)
    case exclusiveMaximum(JSONNumber)
    case multipleOf(JSONNumber)
    case minLength(Int)
    case maxLength(Int)
    case pattern(SchemaPattern)
    case dateTime
    case required([String])
    case properties([(String, SchemaNode)])
    case patternProperties([(SchemaPattern, SchemaNode)])
    /// The schema for members matched by neither `properties` nor `patternProperties`.
    case additionalProperties(SchemaNode, known: Set<String>, patterns: [SchemaPattern])
    case minProperties(Int)
    case maxProperties(Int)
    case items(SchemaNode)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case allOf([SchemaNode])
    case anyOf([SchemaNode])
    case oneOf([SchemaNode])
    case not(SchemaNode)
    /// `#` (the root) or the name of a root `$defs` entry.
    case reference(String)
}
