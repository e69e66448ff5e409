import Testing
import FraudModels

@Suite struct SplitMix64Tests {
    @Test func sameSeedSameSequence() {
        var a = SplitMix64(seed: 99)
        var b = SplitMix64(seed: 99)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }
}
