/// One way an instance fails a schema.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// JSON pointer (RFC 6901) to the offending value, `""` for the whole document, e.g.
    /// `/amount` or `/reasons/0/code`. For `required` it points at the missing member
    /// (`/card_id`), for `additionalProperties` at the extra one.
    public var instancePath: String
    /// The keyword that failed, e.g. `exclusiveMinimum`.
    public var keyword: String
    /// What is wrong, e.g. `must be > 0`.
    public var message: String

    /// Creates a violation.
    public init(instancePath: String, keyword: String, message: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
    }

    /// `/amount: must be > 0` (`/` for the whole document).
    public var description: String { "\(instancePath.isEmpty ? "/" : instancePath): \(message)" }
}
