import Testing
import FraudModels

@Suite struct CRC32CTests {
    /// Bit-at-a-time reference implementation.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func knownVectors() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)  // RFC 3720 B.4
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
    }

    @Test func slicingByEightMatchesTheBitwiseReference() {
        var rng = DeterministicRandom(seed: 31)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(CRC32C.checksum(bytes) == Self.reference(bytes))
        }
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = Array("The quick brown fox jumps over the lazy dog, many times over.".utf8)
        for cut in 0...bytes.count {
            var crc = CRC32C()
            crc.update(Array(bytes[..<cut]))
            crc.update(bytes[cut...])
            #expect(crc.value == CRC32C.checksum(bytes))
        }
    }

    @Test func combiningEqualsTheChecksumOfTheConcatenation() {
        var rng = DeterministicRandom(seed: 5)
        let bytes = (0..<5_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for cut in [0, 1, 7, 8, 9, 255, 256, 1_000, 4_095, 4_999, 5_000] {
            let a = Array(bytes[..<cut])
            let b = Array(bytes[cut...])
            let combined = CRC32C.combine(CRC32C.checksum(a), CRC32C.checksum(b), lengthB: b.count)
            #expect(combined == CRC32C.checksum(bytes), "cut at \(cut)")
        }
    }

    @Test func aSealedEnvelopesChecksumComesFromItsTrailer() {
        let sealed = StateEnvelope.seal(payload: Array(repeating: 0x5A, count: 1_000), kind: 7, formatVersion: 1)
        #expect(StateEnvelope.checksumOfSealed(sealed[...]) == CRC32C.checksum(sealed))
        // Not an envelope, or cut short: no shortcut.
        #expect(StateEnvelope.checksumOfSealed(Array("not sealed at all, not at all".utf8)[...]) == nil)
        #expect(StateEnvelope.checksumOfSealed(sealed.dropLast()) == nil)
    }
}
