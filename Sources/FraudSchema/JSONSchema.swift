import Foundation

/// A JSON Schema (draft 2020-12) compiled for validation.
///
/// Implements the keywords FraudStream's schemas use: `type` (with `integer` as any number
/// with a zero fraction), `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`,
/// `exclusiveMaximum`, `multipleOf` (exact decimal arithmetic), `minLength`/`maxLength`
/// (in Unicode scalars), `pattern` (NSRegularExpression, unanchored search as in JSON
/// Schema; ICU syntax is close to but not exactly ECMA-262), `format: date-time` (RFC 3339,
/// asserted, leap seconds rejected), `required`, `properties`, `patternProperties`,
/// `additionalProperties`, `minProperties`/`maxProperties`, `items` (one schema),
/// `minItems`/`maxItems`, `uniqueItems`, `allOf`/`anyOf`/`oneOf`/`not`, and `$ref` to `#`
/// or `#/$defs/<name>` (with `$defs` at the root). Annotations (`title`, `description`,
/// `$comment`, `examples`, `default`, …) are accepted and ignored.
///
/// Any other keyword or format makes loading fail with ``SchemaError``: nothing is ever
/// silently left unchecked.
public struct JSONSchema: Sendable {
    /// The schema document as loaded.
    public let document: JSONValue
    private let validator: SchemaValidator

    /// Compiles a schema document.
    public init(_ document: JSONValue) throws(SchemaError) {
        let compiled = try SchemaCompiler.compile(document)
        self.document = document
        self.validator = SchemaValidator(root: compiled.root, definitions: compiled.definitions)
    }

    /// Parses and compiles a schema from JSON text.
    public init(parsing text: String) throws(SchemaError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// Parses and compiles a schema from UTF-8 bytes.
    public init(bytes: some Collection<UInt8>) throws(SchemaError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw SchemaError(kind: .invalidJSON, schemaPath: "", message: "not valid JSON: \(error)")
        }
        try self.init(document)
    }

    /// Reads, parses and compiles a schema file.
    public init(contentsOf url: URL) throws(SchemaError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SchemaError(kind: .invalidJSON, schemaPath: "", message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(bytes: data)
    }

    /// The schema's `$id`, if any.
    public var id: String? {
        if case .string(let id)? = document["$id"] { return id }
        return nil
    }

    /// The schema's `title`, if any.
    public var title: String? {
        if case .string(let title)? = document["title"] { return title }
        return nil
    }

    /// Every violation of the schema by `instance`, in a stable order; empty when valid.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        validator.validate(validator.root, instance, path: "", depth: 0, into: &violations)
        return violations
    }

    /// True when `instance` satisfies the schema.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }
}
