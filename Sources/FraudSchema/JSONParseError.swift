/// Why a text is not JSON (as ``JSONValue/parse(_:)-(String)`` accepts it).
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Offset of the offending byte, from 0.
    public var byteOffset: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(byteOffset: Int, message: String) {
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `message (byte N)`.
    public var description: String { "\(message) (byte \(byteOffset))" }
}
