/// Appends little-endian primitives to a byte array: the writing half of the state format.
///
/// Layout rules (``StateReader`` reads them back):
/// - integers: little-endian, fixed width;
/// - `Double` / `Float`: the IEEE-754 bit pattern as `UInt64` / `UInt32` (so NaN payloads,
///   signed zeros and subnormals survive exactly);
/// - `Bool`: one byte, 0 or 1;
/// - `writeBytes`: `UInt64` length, then the bytes;
/// - `writeString`: `UInt32` length of the UTF-8 bytes, then the bytes;
/// - bulk arrays (`writeDoubles`, `writeFloats`, `writeUInt32s`): `UInt64` element count,
///   then the elements back to back.
public struct StateWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates an empty writer.
    @inlinable
    public init() { bytes = [] }

    /// Creates an empty writer with room for `capacity` bytes.
    @inlinable
    public init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    @inlinable
    public var count: Int { bytes.count }

    /// Appends one byte.
    @inlinable
    public mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }

    /// Appends a little-endian `UInt16`.
    @inlinable
    public mutating func writeUInt16(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a little-endian `UInt32`.
    @inlinable
    public mutating func writeUInt32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a little-endian `UInt64`.
    @inlinable
    public mutating func writeUInt64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a little-endian two's-complement `Int32`.
    @inlinable
    public mutating func writeInt32(_ value: Int32) { writeUInt32(UInt32(bitPattern: value)) }

    /// Appends a little-endian two's-complement `Int64`.
    @inlinable
    public mutating func writeInt64(_ value: Int64) { writeUInt64(UInt64(bitPattern: value)) }

    /// Appends a `Double` as its 64-bit IEEE-754 bit pattern.
    @inlinable
    public mutating func writeDouble(_ value: Double) { writeUInt64(value.bitPattern) }

    /// Appends a `Float` as its 32-bit IEEE-754 bit pattern.
    @inlinable
    public mutating func writeFloat(_ value: Float) { writeUInt32(value.bitPattern) }

    /// Appends a `Bool` as one byte (1 or 0).
    @inlinable
    public mutating func writeBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends bytes without a length prefix (the reader must know the length).
    @inlinable
    public mutating func writeRaw(_ raw: some Collection<UInt8>) { bytes.append(contentsOf: raw) }

    /// Appends a `UInt64` length, then the bytes.
    @inlinable
    public mutating func writeBytes(_ raw: some Collection<UInt8>) {
        writeUInt64(UInt64(raw.count))
        bytes.append(contentsOf: raw)
    }

    /// Appends a `UInt32` length, then the string's UTF-8 bytes.
    ///
    /// - Precondition: the UTF-8 form is shorter than 4 GiB.
    @inlinable
    public mutating func writeString(_ string: String) {
        let utf8 = string.utf8
        precondition(utf8.count <= Int(UInt32.max), "string too long for the state format")
        writeUInt32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Appends a `UInt64` count, then each `Double`'s bit pattern.
    @inlinable
    public mutating func writeDoubles(_ values: UnsafeBufferPointer<Double>) {
        writeUInt64(UInt64(values.count))
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for value in values { writeUInt64(value.bitPattern) }
        #endif
    }

    /// Appends a `UInt64` count, then each `Double`'s bit pattern.
    @inlinable
    public mutating func writeDoubles(_ values: [Double]) {
        values.withUnsafeBufferPointer { writeDoubles($0) }
    }

    /// Appends a `UInt64` count, then each `Float`'s bit pattern.
    @inlinable
    public mutating func writeFloats(_ values: UnsafeBufferPointer<Float>) {
        writeUInt64(UInt64(values.count))
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for value in values { writeUInt32(value.bitPattern) }
        #endif
    }

    /// Appends a `UInt64` count, then each `Float`'s bit pattern.
    @inlinable
    public mutating func writeFloats(_ values: [Float]) {
        values.withUnsafeBufferPointer { writeFloats($0) }
    }

    /// Appends a `UInt64` count, then each little-endian `UInt32`.
    @inlinable
    public mutating func writeUInt32s(_ values: UnsafeBufferPointer<UInt32>) {
        writeUInt64(UInt64(values.count))
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        for value in values { writeUInt32(value) }
        #endif
    }

    /// Appends a `UInt64` count, then each little-endian `UInt32`.
    @inlinable
    public mutating func writeUInt32s(_ values: [UInt32]) {
        values.withUnsafeBufferPointer { writeUInt32s($0) }
    }

    /// Appends a `UInt64` count, then each little-endian `UInt64`.
    @inlinable
    public mutating func writeUInt64s(_ values: [UInt64]) {
        writeUInt64(UInt64(values.count))
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values { writeUInt64(value) }
        #endif
    }

    /// Appends a `UInt64` count (the parts' total), then every part's values, little-endian:
    /// a column of numbers that lives in pieces (a ring buffer's two runs), written in bulk.
    @inlinable
    public mutating func writeUInt64Column(_ parts: [UnsafeBufferPointer<UInt64>]) {
        writeColumn(parts)
    }

    /// ``writeUInt64Column(_:)`` for `UInt32` values.
    @inlinable
    public mutating func writeUInt32Column(_ parts: [UnsafeBufferPointer<UInt32>]) {
        writeColumn(parts)
    }

    /// ``writeUInt64Column(_:)`` for bytes.
    @inlinable
    public mutating func writeByteColumn(_ parts: [UnsafeBufferPointer<UInt8>]) {
        writeColumn(parts)
    }

    @inlinable
    mutating func writeColumn<T: FixedWidthInteger>(_ parts: [UnsafeBufferPointer<T>]) {
        writeUInt64(UInt64(parts.reduce(0) { $0 + $1.count }))
        for part in parts {
            #if _endian(little)
            bytes.append(contentsOf: UnsafeRawBufferPointer(part))
            #else
            for value in part { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
            #endif
        }
    }

    /// Appends any ``StateCodable`` value's encoding.
    @inlinable
    public mutating func write(_ value: some StateCodable) {
        value.encode(to: &self)
    }
}
