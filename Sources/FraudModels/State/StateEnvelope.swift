/// The framing of every saved state file: magic, kind, format version, length, payload, CRC.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `FRDSTATE` (ASCII) |
/// | 8 | 4 | kind (`UInt32`, which component wrote the payload) |
/// | 12 | 4 | format version (`UInt32`, the payload layout's version) |
/// | 16 | 8 | payload length `n` (`UInt64`) |
/// | 24 | n | payload |
/// | 24+n | 4 | CRC-32C (``CRC32C``) of bytes 0 ..< 24+n |
///
/// ``open(_:kind:supportedVersions:)`` checks, in this order: magic, complete header, length,
/// checksum, trailing bytes, kind, version. The checksum comes before the version so that a damaged version
/// field is reported as damage, not as an unsupported release.
public enum StateEnvelope {
    /// The 8 magic bytes, `FRDSTATE` in ASCII.
    public static let magic: [UInt8] = Array("FRDSTATE".utf8)
    /// Bytes before the payload.
    public static let headerSize = 24
    /// Bytes after the payload (the CRC).
    public static let trailerSize = 4

    /// Wraps `payload` in the envelope.
    public static func seal(payload: [UInt8], kind: UInt32, formatVersion: UInt32) -> [UInt8] {
        var writer = StateWriter(reservingCapacity: headerSize + payload.count + trailerSize)
        writer.writeRaw(magic)
        writer.writeUInt32(kind)
        writer.writeUInt32(formatVersion)
        writer.writeUInt64(UInt64(payload.count))
        writer.writeRaw(payload)
        writer.writeUInt32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Checks the envelope and returns the format version and the payload.
    ///
    /// The payload is a slice of `bytes`, so a ``StateReader`` over it reports offsets in the
    /// whole file.
    /// - Throws: ``StateError/badMagic`` for a file that is not a state file,
    ///   ``StateError/truncated(offset:)`` for a short file,
    ///   ``StateError/checksumMismatch(expected:found:)`` for damage,
    ///   ``StateError/corrupt(_:)`` for a wrong kind or trailing bytes,
    ///   ``StateError/unsupportedVersion(found:supported:)`` for a version not in `supportedVersions`.
    /// - Parameter verifyChecksum: false only when an enclosing envelope's checksum already
    ///   covered these bytes (the structure is still checked).
    public static func open(
        _ bytes: [UInt8], kind: UInt32, supportedVersions: [UInt32], verifyChecksum: Bool = true
    ) throws(StateError) -> (formatVersion: UInt32, payload: ArraySlice<UInt8>) {
        let prefix = min(bytes.count, magic.count)
        guard bytes[0..<prefix].elementsEqual(magic[0..<prefix]) else { throw StateError.badMagic }
        var reader = StateReader(bytes)
        _ = try reader.readRaw(count: magic.count)
        let foundKind = try reader.readUInt32()
        let version = try reader.readUInt32()
        let length = try reader.readUInt64()
        let available = UInt64(bytes.count - headerSize)
        guard length <= available, available - length >= UInt64(trailerSize) else {
            throw StateError.truncated(offset: bytes.count)
        }
        let payloadEnd = headerSize + Int(length)
        var trailer = StateReader(bytes[payloadEnd..<(payloadEnd + trailerSize)])
        let stored = try trailer.readUInt32()
        let computed = verifyChecksum ? CRC32C.checksum(bytes[0..<payloadEnd]) : stored
        // A damaged length field moves the checksum: report it as damage.
        guard stored == computed else { throw StateError.checksumMismatch(expected: stored, found: computed) }
        if bytes.count > payloadEnd + trailerSize {
            throw StateError.corrupt(
                "\(bytes.count - payloadEnd - trailerSize) unexpected bytes after the checksum (two files concatenated?)")
        }
        guard foundKind == kind else {
            throw StateError.corrupt(
                "file holds state of kind \(StateError.hex(foundKind)), expected \(StateError.hex(kind)) (wrong file?)")
        }
        guard supportedVersions.contains(version) else {
            throw StateError.unsupportedVersion(found: version, supported: supportedVersions)
        }
        return (version, bytes[headerSize..<payloadEnd])
    }

    /// Convenience: seals a ``StateCodable`` value's encoding.
    public static func seal(_ value: some StateCodable, kind: UInt32, formatVersion: UInt32) -> [UInt8] {
        seal(payload: value.encodedBytes(), kind: kind, formatVersion: formatVersion)
    }
}
