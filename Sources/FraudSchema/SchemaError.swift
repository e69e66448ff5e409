/// Why a schema could not be loaded: it is not JSON, or it uses something this validator
/// does not implement (refused rather than silently left unchecked), or it is malformed.
public struct SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: String, Hashable, Sendable {
        /// The schema file is not valid JSON or could not be read.
        case invalidJSON = "invalid_json"
        /// A keyword this validator does not implement.
        case unsupportedKeyword = "unsupported_keyword"
        /// A `format` other than `date-time`.
        case unsupportedFormat = "unsupported_format"
        /// A keyword whose value has the wrong shape (e.g. `minimum: "3"`, a bad regex).
        case invalidKeywordValue = "invalid_keyword_value"
        /// A `$ref` that is not `#` or `#/$defs/<name>`, or names a missing definition.
        case unresolvedReference = "unresolved_reference"
    }

    /// The kind of problem.
    public var kind: Kind
    /// JSON pointer to the offending place in the schema, e.g. `/properties/amount/minimum`.
    public var schemaPath: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, schemaPath: String, message: String) {
        self.kind = kind
        self.schemaPath = schemaPath
        self.message = message
    }

    /// `schema /properties/amount/foo: unsupported keyword "foo"`.
    public var description: String { "schema \(schemaPath.isEmpty ? "/" : schemaPath): \(message)" }
}
