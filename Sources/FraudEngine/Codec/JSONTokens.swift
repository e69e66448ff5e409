/// A string value located in the input: its content bytes lie in `start..<end` (the closing
/// quote is at `end`), already checked for well-formed escapes and valid UTF-8.
struct JSONStringToken {
    /// Offset of the opening quote.
    var quote: Int
    /// Offset of the first content byte.
    var start: Int
    /// Offset of the closing quote.
    var end: Int
    /// True when the content contains backslash escapes (and so differs from its raw bytes).
    var hasEscapes: Bool
    /// Number of Unicode scalars the string decodes to.
    var scalarCount: Int
}

/// A number located in the input, checked against the JSON number grammar.
struct JSONNumberToken {
    /// Offset of the first byte (a digit or `-`).
    var start: Int
    /// Offset just past the last byte.
    var end: Int
    /// True when the number starts with `-`.
    var negative: Bool
    /// Integer part digits: `integerStart..<integerEnd`.
    var integerStart: Int
    var integerEnd: Int
    /// Fraction digits (after the dot): `fractionStart..<fractionEnd`; empty when absent.
    var fractionStart: Int
    var fractionEnd: Int
    /// True when an exponent (`e`/`E`) is present.
    var hasExponent: Bool
}

/// The JSON type of the value starting at some byte, for "found a string" messages.
enum JSONValueKind {
    case object, array, string, number, boolean, null, invalid

    /// Noun phrase for messages: "a string", "null".
    var phrase: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .boolean: return "a boolean"
        case .null: return "null"
        case .invalid: return "an invalid value"
        }
    }
}
