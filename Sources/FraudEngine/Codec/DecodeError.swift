/// Why a transaction or label message was rejected, and where.
///
/// Every rejection names the field (when one is at fault), a reason ``Kind`` with a stable
/// short ``reasonCode`` for dead-letter headers and metrics, the byte offset in the message
/// where the problem was found, and a human sentence:
///
///     amount: expected a number > 0, found -5 (byte 57)
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason a message was rejected. The raw value is the stable ``DecodeError/reasonCode``.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Not JSON: truncated, a bad token, a bad escape, a control character in a string, an empty message.
        case malformedJSON = "malformed_json"
        /// A string is not valid UTF-8, or a `\u` escape encodes a lone surrogate.
        case invalidUTF8 = "invalid_utf8"
        /// Something other than whitespace follows the message's object.
        case trailingData = "trailing_data"
        /// The message is longer than ``DecoderLimits/maxMessageBytes``.
        case tooLarge = "too_large"
        /// A skipped value nests objects or arrays deeper than ``DecoderLimits/maxNestingDepth``.
        case tooDeep = "too_deep"
        /// A required field is absent.
        case missingField = "missing_field"
        /// A field (or the message itself) has the wrong JSON type, including `null` for a required field.
        case wrongType = "wrong_type"
        /// A field has the right type but an unacceptable value (range, precision, format, unknown code).
        case invalidValue = "invalid_value"
        /// The same key appears twice in the message object.
        case duplicateField = "duplicate_field"
    }

    /// The field at fault (its JSON name, e.g. `amount`), or nil when the message as a whole is.
    public var field: String?
    /// The reason.
    public var kind: Kind
    /// Offset in the message, from 0, of the byte where the problem was found: the start of the
    /// offending value or key, the offending byte, or the object's closing brace for a missing field.
    public var byteOffset: Int
    /// What is wrong, without the field name and offset, e.g. `expected a number > 0, found -5`.
    public var detail: String

    /// Creates an error.
    public init(field: String?, kind: Kind, byteOffset: Int, detail: String) {
        self.field = field
        self.kind = kind
        self.byteOffset = byteOffset
        self.detail = detail
    }

    /// Stable snake_case reason, e.g. `missing_field`, for dead-letter headers and metric labels.
    public var reasonCode: String { kind.rawValue }

    /// The human message: `amount: expected a number > 0, found -5 (byte 57)`.
    public var message: String { description }

    /// The human message, as ``message``.
    public var description: String {
        if let field { return "\(field): \(detail) (byte \(byteOffset))" }
        return "\(detail) (byte \(byteOffset))"
    }
}
