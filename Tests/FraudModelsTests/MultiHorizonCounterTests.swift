import Testing
import FraudModels

@Suite struct MultiHorizonCounterTests {
    let horizons = MultiHorizonCounter.Horizons.cardWindows

    @Test func isCompact() {
        #expect(MemoryLayout<MultiHorizonCounter>.size == 40)
        #expect(MultiHorizonCounter().encodedBytes().count == 40)
    }

    @Test func eachHorizonEqualsASingleCounterBitForBit() {
        var multi = MultiHorizonCounter()
        var singles = [ExponentialDecayCounter](repeating: ExponentialDecayCounter(), count: 4)
        var rng = DeterministicRandom(seed: 93)
        var t: Int64 = 1_700_000_000_000
        for i in 0..<2_000 {
            t += Int64(rng.nextInt(below: 7_200_000))
            let at = i % 13 == 0 ? t - 1_800_000 : t
            let amount = rng.nextDouble(in: 1, 300)
            multi.add(amount, at: at, horizons: horizons)
            for k in 0..<4 { singles[k].add(amount, at: at, halfLife: horizons.halfLives[k]) }
        }
        let now = t + 600_000
        let (counts, sums) = multi.values(at: now, horizons: horizons)
        for k in 0..<4 {
            #expect(sameBits(counts[k], singles[k].count(at: now, halfLife: horizons.halfLives[k])))
            #expect(sameBits(sums[k], singles[k].sum(at: now, halfLife: horizons.halfLives[k])))
        }
        #expect(multi.counts(at: now, horizons: horizons) == counts)
        #expect(multi.sums(at: now, horizons: horizons) == sums)
        #expect(counts[0] < counts[1] && counts[1] < counts[2] && counts[2] < counts[3])
    }

    @Test func stateRoundTripContinuesBitIdentically() throws {
        var original = MultiHorizonCounter()
        original.add(10, at: 1_000, horizons: horizons)
        var restored = try roundTrip(original)
        for i in 1...50 {
            original.add(Double(i), at: 1_000 + Int64(i) * 3_600_000, horizons: horizons)
            restored.add(Double(i), at: 1_000 + Int64(i) * 3_600_000, horizons: horizons)
        }
        #expect(original == restored)
    }
}
