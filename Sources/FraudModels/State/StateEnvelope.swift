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

    /// A writer with the envelope's header reserved: write the payload into it, then
    /// ``seal(_:kind:formatVersion:)`` fills the header in and appends the checksum, without
    /// copying the payload (a checkpoint's payload can be hundreds of megabytes, and every
    /// copy into fresh memory costs its page faults).
    public static func payloadWriter(reservingCapacity capacity: Int) -> StateWriter {
        var writer = StateWriter(reservingCapacity: headerSize + capacity + trailerSize)
        writer.writeRaw(repeatElement(0, count: headerSize))
        return writer
    }

    /// Completes a writer from ``payloadWriter(reservingCapacity:)``: its bytes become the
    /// sealed envelope.
    public static func seal(_ writer: inout StateWriter, kind: UInt32, formatVersion: UInt32) {
        precondition(writer.count >= headerSize, "not a payload writer")
        writeHeader(into: &writer.bytes, kind: kind, formatVersion: formatVersion, payloadLength: writer.count - headerSize)
        writer.writeUInt32(CRC32C.checksum(writer.bytes))
    }

    /// Fills the first ``headerSize`` bytes of `bytes` with the header of an envelope whose
    /// payload is `payloadLength` bytes long.
    public static func writeHeader(into bytes: inout [UInt8], kind: UInt32, formatVersion: UInt32, payloadLength: Int) {
        var header = StateWriter(reservingCapacity: headerSize)
        header.writeRaw(magic)
        header.writeUInt32(kind)
        header.writeUInt32(formatVersion)
        header.writeUInt64(UInt64(payloadLength))
        bytes.replaceSubrange(0..<headerSize, with: header.bytes)
    }

    /// The CRC-32C of a whole sealed envelope (checksum included) from its own stored
    /// checksum, without reading the payload; nil when `bytes` is not shaped like one. Trusts
    /// the stored checksum: use it only for envelopes sealed by this process or verified
    /// when they were read (a checkpoint file's embedded engine state).
    public static func checksumOfSealed(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        let base = bytes.startIndex
        guard bytes.count >= headerSize + trailerSize, bytes[base..<(base + magic.count)].elementsEqual(magic) else {
            return nil
        }
        var reader = StateReader(bytes[(base + 16)..<(base + headerSize)])
        guard let length = try? reader.readUInt64(), length == UInt64(bytes.count - headerSize - trailerSize) else {
            return nil
        }
        var trailerReader = StateReader(bytes[(bytes.endIndex - trailerSize)...])
        guard let stored = try? trailerReader.readUInt32() else { return nil }
        var crc = CRC32C(continuing: stored)
        crc.update(bytes[(bytes.endIndex - trailerSize)...])
        return crc.value
    }

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
        try open(bytes[...], kind: kind, supportedVersions: supportedVersions, verifyChecksum: verifyChecksum)
    }

    /// ``open(_:kind:supportedVersions:verifyChecksum:)`` for an envelope inside a larger
    /// array (a checkpoint file's engine state), without copying it out.
    ///
    /// - Parameter checksumOfAllButTrailer: the CRC-32C of every byte of `bytes` but the last
    ///   ``trailerSize``, when the caller computed it already (while reading the file); used
    ///   instead of a second pass when the envelope ends where `bytes` ends.
    public static func open(
        _ bytes: ArraySlice<UInt8>, kind: UInt32, supportedVersions: [UInt32], verifyChecksum: Bool = true,
        checksumOfAllButTrailer: UInt32? = nil
    ) throws(StateError) -> (formatVersion: UInt32, payload: ArraySlice<UInt8>) {
        let base = bytes.startIndex
        let prefix = min(bytes.count, magic.count)
        guard bytes[base..<(base + prefix)].elementsEqual(magic[0..<prefix]) else { throw StateError.badMagic }
        var reader = StateReader(bytes)
        _ = try reader.readRaw(count: magic.count)
        let foundKind = try reader.readUInt32()
        let version = try reader.readUInt32()
        let length = try reader.readUInt64()
        let available = UInt64(bytes.count - headerSize)
        guard length <= available, available - length >= UInt64(trailerSize) else {
            throw StateError.truncated(offset: bytes.count)
        }
        let payloadEnd = base + headerSize + Int(length)
        var trailer = StateReader(bytes[payloadEnd..<(payloadEnd + trailerSize)])
        let stored = try trailer.readUInt32()
        let computed: UInt32
        if !verifyChecksum {
            computed = stored
        } else if let checksumOfAllButTrailer, payloadEnd + trailerSize == bytes.endIndex {
            computed = checksumOfAllButTrailer
        } else {
            computed = CRC32C.checksum(bytes[base..<payloadEnd])
        }
        // A damaged length field moves the checksum: report it as damage.
        guard stored == computed else { throw StateError.checksumMismatch(expected: stored, found: computed) }
        if bytes.endIndex > payloadEnd + trailerSize {
            throw StateError.corrupt(
                "\(bytes.endIndex - payloadEnd - trailerSize) unexpected bytes after the checksum (two files concatenated?)")
        }
        guard foundKind == kind else {
            throw StateError.corrupt(
                "file holds state of kind \(StateError.hex(foundKind)), expected \(StateError.hex(kind)) (wrong file?)")
        }
        guard supportedVersions.contains(version) else {
            throw StateError.unsupportedVersion(found: version, supported: supportedVersions)
        }
        return (version, bytes[(base + headerSize)..<payloadEnd])
    }

    /// Convenience: seals a ``StateCodable`` value's encoding.
    public static func seal(_ value: some StateCodable, kind: UInt32, formatVersion: UInt32) -> [UInt8] {
        seal(payload: value.encodedBytes(), kind: kind, formatVersion: formatVersion)
    }
}
