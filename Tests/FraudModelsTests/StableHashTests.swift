import Testing
import FraudModels

@Suite struct StableHashTests {
    @Test func fnv1aMatchesPublishedVectors() {
        #expect(StableHash.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(StableHash.fnv1a64("foobar") == 0x8594_4171_F739_67E8)
    }

    @Test func hash64IsPinnedAcrossRuns() {
        // Golden values: these pin the function forever. A change here changes every hashed
        // feature slot and invalidates trained models and checkpoints.
        #expect(StableHash.hash64("") == 0x9353_DFC8_A195_F3E2)
        #expect(StableHash.hash64("a") == 0xFE8E_C13E_B778_D85B)
        #expect(StableHash.hash64("card-000123") == 0x02A0_F40B_3544_1AC5)
        #expect(StableHash.hash64("merchant_id=M-42|channel=ecommerce") == 0x5637_540B_D4BD_727F)
        #expect(StableHash.hash64("card-000123", seed: 7) == 0xA4CE_A33B_563D_8703)
        #expect(StableHash.mix64(1) == 0xB456_BCFC_34C2_CB2C)  // MurmurHash3 fmix64(1)
        #expect(StableHash.combine(1, 2) == 0x7042_451B_F9E7_5146)
    }

    @Test func stringSubstringAndBytesAgree() {
        let text = "terminal-Ø-12345678901234567890"
        let bytes = Array(text.utf8)
        #expect(StableHash.hash64(text) == StableHash.hash64(bytes))
        #expect(StableHash.hash64(text.dropFirst(0)) == StableHash.hash64(text))
        let tail = text.dropFirst(9)
        #expect(StableHash.hash64(tail) == StableHash.hash64(String(tail)))
    }

    @Test func seedsAndLengthsSeparateInputs() {
        var seen = Set<UInt64>()
        var bytes: [UInt8] = []
        for _ in 0..<64 {
            #expect(seen.insert(StableHash.hash64(bytes)).inserted)  // includes trailing-zero variants
            bytes.append(0)
        }
        #expect(StableHash.hash64("x", seed: 1) != StableHash.hash64("x", seed: 2))
        #expect(StableHash.combine(1, 2) != StableHash.combine(2, 1))
    }

    @Test func singleBitChangesFlipAboutHalfTheOutput() {
        var totalFlips = 0
        var trials = 0
        for length in [1, 7, 8, 9, 16, 23] {
            var bytes = [UInt8](repeating: 0x5A, count: length)
            let base = StableHash.hash64(bytes)
            for bit in 0..<(8 * length) {
                bytes[bit / 8] ^= UInt8(1 << (bit % 8))
                totalFlips += (StableHash.hash64(bytes) ^ base).nonzeroBitCount
                trials += 1
                bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            }
        }
        let average = Double(totalFlips) / Double(trials)
        #expect(average > 30 && average < 34)
    }

    @Test func slotsCoverTheRangeEvenly() {
        var counts = [Int](repeating: 0, count: 16)
        for i in 0..<16_000 {
            let slot = StableHash.slot(StableHash.hash64("merchant-\(i)"), bits: 4)
            #expect(slot < 16)
            counts[Int(slot)] += 1
        }
        for count in counts { #expect(abs(count - 1_000) < 150) }
        #expect(StableHash.slot(.max, bits: 18) == (1 << 18) - 1)
    }
}
