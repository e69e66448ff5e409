/// Reads the little-endian primitives written by ``StateWriter``: the reading half of the
/// state format.
///
/// Every read checks bounds first and throws ``StateError/truncated(offset:)`` with the
/// byte offset of the field that could not be read; counts are validated against the bytes
/// that remain before anything is allocated, so a damaged length can never trigger a huge
/// allocation. Offsets are indices into the underlying array: a reader over the payload
/// slice returned by ``StateEnvelope/open(_:kind:supportedVersions:)`` reports offsets in
/// the whole file.
public struct StateReader: Sendable {
    @usableFromInline let storage: ArraySlice<UInt8>
    @usableFromInline var position: Int

    /// Creates a reader over a whole byte array.
    @inlinable
    public init(_ bytes: [UInt8]) {
        storage = bytes[...]
        position = storage.startIndex
    }

    /// Creates a reader over a slice (offsets are the slice's own indices).
    @inlinable
    public init(_ bytes: ArraySlice<UInt8>) {
        storage = bytes
        position = bytes.startIndex
    }

    /// The index of the next byte to be read.
    @inlinable
    public var offset: Int { position }

    /// How many bytes remain unread.
    @inlinable
    public var remaining: Int { storage.endIndex - position }

    /// Whether every byte has been read.
    @inlinable
    public var isAtEnd: Bool { position == storage.endIndex }

    /// Throws ``StateError/corrupt(_:)`` when unread bytes remain.
    @inlinable
    public func expectEnd() throws(StateError) {
        if position != storage.endIndex {
            throw StateError.corrupt("\(remaining) unexpected trailing bytes at byte \(position)")
        }
    }

    @inlinable
    mutating func reserve(_ size: Int) throws(StateError) -> Int {
        let start = position
        guard storage.endIndex - start >= size else { throw StateError.truncated(offset: start) }
        position = start + size
        return start - storage.startIndex
    }

    @inlinable
    func load<T: FixedWidthInteger>(_ relative: Int, as type: T.Type) -> T {
        storage.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: relative, as: T.self)) }
    }

    /// Reads one byte.
    @inlinable
    public mutating func readUInt8() throws(StateError) -> UInt8 {
        let start = try reserve(1)
        return storage[storage.startIndex + start]
    }

    /// Reads a little-endian `UInt16`.
    @inlinable
    public mutating func readUInt16() throws(StateError) -> UInt16 {
        load(try reserve(2), as: UInt16.self)
    }

    /// Reads a little-endian `UInt32`.
    @inlinable
    public mutating func readUInt32() throws(StateError) -> UInt32 {
        load(try reserve(4), as: UInt32.self)
    }

    /// Reads a little-endian `UInt64`.
    @inlinable
    public mutating func readUInt64() throws(StateError) -> UInt64 {
        load(try reserve(8), as: UInt64.self)
    }

    /// Reads a little-endian two's-complement `Int32`.
    @inlinable
    public mutating func readInt32() throws(StateError) -> Int32 {
        Int32(bitPattern: try readUInt32())
    }

    /// Reads a little-endian two's-complement `Int64`.
    @inlinable
    public mutating func readInt64() throws(StateError) -> Int64 {
        Int64(bitPattern: try readUInt64())
    }

    /// Reads a `Double` from its bit pattern.
    @inlinable
    public mutating func readDouble() throws(StateError) -> Double {
        Double(bitPattern: try readUInt64())
    }

    /// Reads a `Float` from its bit pattern.
    @inlinable
    public mutating func readFloat() throws(StateError) -> Float {
        Float(bitPattern: try readUInt32())
    }

    /// Reads a `Bool`; any byte other than 0 or 1 is ``StateError/corrupt(_:)``.
    @inlinable
    public mutating func readBool() throws(StateError) -> Bool {
        let at = position
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw StateError.corrupt("invalid boolean byte \(other) at byte \(at)")
        }
    }

    /// Reads `count` bytes with no length prefix.
    @inlinable
    public mutating func readRaw(count: Int) throws(StateError) -> ArraySlice<UInt8> {
        guard count >= 0 else { throw StateError.corrupt("negative length at byte \(position)") }
        let start = try reserve(count) + storage.startIndex
        return storage[start..<(start + count)]
    }

    /// Reads a `UInt64` length, then that many bytes.
    @inlinable
    public mutating func readBytes() throws(StateError) -> [UInt8] {
        let count = try readCount(elementSize: 1)
        return Array(try readRaw(count: count))
    }

    /// Reads a `UInt32` length, then that many UTF-8 bytes; invalid UTF-8 is
    /// ``StateError/corrupt(_:)``.
    @inlinable
    public mutating func readString() throws(StateError) -> String {
        let at = position
        let length = Int(try readUInt32())
        let raw = try readRaw(count: length)
        let string = String(decoding: raw, as: UTF8.self)
        guard string.utf8.elementsEqual(raw) else {
            throw StateError.corrupt("invalid UTF-8 text at byte \(at)")
        }
        return string
    }

    /// Reads a `UInt64` element count and checks that `count * elementSize` bytes remain.
    @inlinable
    public mutating func readCount(elementSize: Int) throws(StateError) -> Int {
        let at = position
        let raw = try readUInt64()
        guard raw <= UInt64(Int.max / max(elementSize, 1)) else {
            throw StateError.corrupt("impossible element count \(raw) at byte \(at)")
        }
        let count = Int(raw)
        if count * elementSize > remaining {
            throw StateError.truncated(offset: storage.endIndex)
        }
        return count
    }

    @inlinable
    mutating func readBulk<T>(_ type: T.Type, expectedCount: Int?) throws(StateError) -> [T] {
        let at = position
        let count = try readCount(elementSize: MemoryLayout<T>.size)
        if let expectedCount, expectedCount != count {
            throw StateError.corrupt("expected \(expectedCount) values but found \(count) at byte \(at)")
        }
        let start = try reserve(count * MemoryLayout<T>.size)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            storage.withUnsafeBytes { raw in
                let source = UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * MemoryLayout<T>.size)])
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            }
            initialized = count
        }
    }

    /// Reads a `UInt64` count, then that many `Double` bit patterns. When `expectedCount` is
    /// given, a different count is ``StateError/corrupt(_:)``.
    @inlinable
    public mutating func readDoubles(expectedCount: Int? = nil) throws(StateError) -> [Double] {
        #if _endian(little)
        return try readBulk(Double.self, expectedCount: expectedCount)
        #else
        let at = position
        let count = try readCount(elementSize: 8)
        if let expectedCount, expectedCount != count {
            throw StateError.corrupt("expected \(expectedCount) values but found \(count) at byte \(at)")
        }
        var result = [Double]()
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readDouble()) }
        return result
        #endif
    }

    /// Reads a `UInt64` count, then that many `Float` bit patterns.
    @inlinable
    public mutating func readFloats(expectedCount: Int? = nil) throws(StateError) -> [Float] {
        #if _endian(little)
        return try readBulk(Float.self, expectedCount: expectedCount)
        #else
        let at = position
        let count = try readCount(elementSize: 4)
        if let expectedCount, expectedCount != count {
            throw StateError.corrupt("expected \(expectedCount) values but found \(count) at byte \(at)")
        }
        var result = [Float]()
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readFloat()) }
        return result
        #endif
    }

    /// Reads a `UInt64` count, then that many little-endian `UInt32`s.
    @inlinable
    public mutating func readUInt32s(expectedCount: Int? = nil) throws(StateError) -> [UInt32] {
        try readIntegers(UInt32.self, expectedCount: expectedCount)
    }

    /// Reads a `UInt64` count, then that many little-endian `UInt64`s.
    @inlinable
    public mutating func readUInt64s(expectedCount: Int? = nil) throws(StateError) -> [UInt64] {
        try readIntegers(UInt64.self, expectedCount: expectedCount)
    }

    /// A count, then that many little-endian integers, copied in bulk (and byte-swapped on a
    /// big-endian machine).
    @inlinable
    mutating func readIntegers<T: FixedWidthInteger>(_ type: T.Type, expectedCount: Int?) throws(StateError) -> [T] {
        let values = try readBulk(T.self, expectedCount: expectedCount)
        #if _endian(little)
        return values
        #else
        return values.map { T(littleEndian: $0) }
        #endif
    }

    /// Reads a column written by ``StateWriter/writeUInt64Column(_:)`` straight into
    /// `destination`; its count must be `count`.
    @inlinable
    public mutating func readUInt64Column(into destination: UnsafeMutablePointer<UInt64>, count: Int) throws(StateError) {
        try readColumn(into: UnsafeMutableRawPointer(destination), count: count, width: 8)
        #if !_endian(little)
        for i in 0..<count { destination[i] = UInt64(littleEndian: destination[i]) }
        #endif
    }

    /// Reads a column written by ``StateWriter/writeUInt32Column(_:)`` into `destination`.
    @inlinable
    public mutating func readUInt32Column(into destination: UnsafeMutablePointer<UInt32>, count: Int) throws(StateError) {
        try readColumn(into: UnsafeMutableRawPointer(destination), count: count, width: 4)
        #if !_endian(little)
        for i in 0..<count { destination[i] = UInt32(littleEndian: destination[i]) }
        #endif
    }

    /// Reads a column written by ``StateWriter/writeByteColumn(_:)`` into `destination`.
    @inlinable
    public mutating func readByteColumn(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(StateError) {
        try readColumn(into: UnsafeMutableRawPointer(destination), count: count, width: 1)
    }

    @inlinable
    mutating func readColumn(into destination: UnsafeMutableRawPointer, count: Int, width: Int) throws(StateError) {
        let at = position
        let found = try readCount(elementSize: width)
        guard found == count else {
            throw StateError.corrupt("expected \(count) values but found \(found) at byte \(at)")
        }
        let start = try reserve(count * width)
        storage.withUnsafeBytes { raw in
            destination.copyMemory(from: raw.baseAddress! + start, byteCount: count * width)
        }
    }

    /// Reads any ``StateCodable`` value.
    @inlinable
    public mutating func read<T: StateCodable>(_ type: T.Type = T.self) throws(StateError) -> T {
        try T(from: &self)
    }
}
