import Testing
import FraudModels

@Suite struct StateEnvelopeTests {
    let payload: [UInt8] = Array("model state payload: 0123456789".utf8)
    let kind: UInt32 = 0x4C52_0001

    @Test func layoutIsAsDocumented() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 3)
        #expect(sealed.count == 24 + payload.count + 4)
        #expect(Array(sealed[0..<8]) == Array("FRDSTATE".utf8))
        #expect(Array(sealed[8..<12]) == [0x01, 0x00, 0x52, 0x4C])
        #expect(Array(sealed[12..<16]) == [3, 0, 0, 0])
        #expect(Array(sealed[16..<24]) == [UInt8(payload.count), 0, 0, 0, 0, 0, 0, 0])
        let crc = CRC32C.checksum(sealed[0..<(sealed.count - 4)])
        #expect(Array(sealed.suffix(4)) == [
            UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8((crc >> 16) & 0xFF), UInt8(crc >> 24),
        ])
    }

    @Test func roundTrip() throws {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 2)
        let opened = try StateEnvelope.open(sealed, kind: kind, supportedVersions: [1, 2])
        #expect(opened.formatVersion == 2)
        #expect(Array(opened.payload) == payload)
        #expect(opened.payload.startIndex == 24)
    }

    @Test func emptyPayloadRoundTrips() throws {
        let sealed = StateEnvelope.seal(payload: [], kind: 1, formatVersion: 1)
        #expect(try StateEnvelope.open(sealed, kind: 1, supportedVersions: [1]).payload.isEmpty)
    }

    @Test func anyFlippedByteOutsideTheMagicIsAChecksumMismatch() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 1)
        for index in 8..<sealed.count where !(16..<24).contains(index) {
            var damaged = sealed
            damaged[index] ^= 0x10
            let error = #expect(throws: StateError.self) {
                _ = try StateEnvelope.open(damaged, kind: kind, supportedVersions: [1])
            }
            guard case .checksumMismatch = error else {
                Issue.record("byte \(index): expected checksumMismatch, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func damagedLengthFieldIsDetected() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 1)
        for index in 16..<24 {
            var damaged = sealed
            damaged[index] ^= 0x01
            #expect(throws: StateError.self) { _ = try StateEnvelope.open(damaged, kind: kind, supportedVersions: [1]) }
        }
    }

    @Test func truncatedFilesAreTruncated() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 1)
        for length in [0, 3, 8, 12, 23, 24, 30, sealed.count - 1] {
            let short = Array(sealed.prefix(length))
            let error = #expect(throws: StateError.self) {
                _ = try StateEnvelope.open(short, kind: kind, supportedVersions: [1])
            }
            guard case .truncated = error else {
                Issue.record("length \(length): expected truncated, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func wrongMagicIsBadMagic() {
        var sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 1)
        sealed[0] = UInt8(ascii: "{")
        #expect(throws: StateError.badMagic) { _ = try StateEnvelope.open(sealed, kind: kind, supportedVersions: [1]) }
        let json = Array("{\"transaction_id\":\"t1\"}".utf8)
        #expect(throws: StateError.badMagic) { _ = try StateEnvelope.open(json, kind: kind, supportedVersions: [1]) }
    }

    @Test func wrongVersionIsUnsupported() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 3)
        #expect(throws: StateError.unsupportedVersion(found: 3, supported: [1, 2])) {
            _ = try StateEnvelope.open(sealed, kind: kind, supportedVersions: [1, 2])
        }
    }

    @Test func wrongKindIsRejected() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 1)
        let error = #expect(throws: StateError.self) { _ = try StateEnvelope.open(sealed, kind: 99, supportedVersions: [1]) }
        #expect(error?.description.contains("wrong file") == true)
    }

    @Test func trailingGarbageIsRejected() {
        let sealed = StateEnvelope.seal(payload: payload, kind: kind, formatVersion: 1) + [0]
        #expect(throws: StateError.self) { _ = try StateEnvelope.open(sealed, kind: kind, supportedVersions: [1]) }
    }

    @Test func sealsCodableValues() throws {
        var rng = DeterministicRandom(seed: 5)
        _ = rng.next()
        let sealed = StateEnvelope.seal(rng, kind: 7, formatVersion: 1)
        let opened = try StateEnvelope.open(sealed, kind: 7, supportedVersions: [1])
        var reader = StateReader(opened.payload)
        var restored = try reader.read(DeterministicRandom.self)
        try reader.expectEnd()
        #expect(restored.next() == rng.next())
    }
}
