/// A value that saves itself to, and restores itself from, the little-endian binary state
/// format of ``StateWriter`` and ``StateReader``.
///
/// Contract: `init(from:)` applied to the bytes written by `encode(to:)` restores a value that
/// behaves bit-identically to the original from then on — every later output, every later
/// update and every later encoding is the same as if no save/restore had happened. Doubles
/// and Floats are therefore written as their bit patterns, and derived caches are either
/// written too or recomputed by the same deterministic code.
///
/// Larger models (``LogisticRegression``, ``HalfSpaceTrees``, ``OnlineStandardizer``,
/// ``OnlineMinMaxScaler``) start their encoding with a one-byte layout version; the tiny
/// per-entity structs (``RobustStatistics``, ``DecayingSum``…) do not, to keep millions of
/// them small — their layout is versioned by the enclosing ``StateEnvelope``.
public protocol StateCodable {
    /// Appends this value's state to `writer`.
    func encode(to writer: inout StateWriter)
    /// Reads a value written by `encode(to:)`, advancing `reader` past it.
    init(from reader: inout StateReader) throws(StateError)
}

extension StateCodable {
    /// The encoding of this value as a standalone byte array (no envelope).
    public func encodedBytes() -> [UInt8] {
        var writer = StateWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Decodes a value from `bytes` produced by `encodedBytes()`, requiring that all bytes are used.
    public init(decoding bytes: [UInt8]) throws(StateError) {
        var reader = StateReader(bytes)
        try self.init(from: &reader)
        try reader.expectEnd()
    }
}
