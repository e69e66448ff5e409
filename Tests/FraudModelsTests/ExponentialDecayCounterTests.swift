import Testing
import FraudModels

@Suite struct ExponentialDecayCounterTests {
    let h = HalfLife.days(1)
    let day: Int64 = 86_400_000

    @Test func isSmall() {
        #expect(MemoryLayout<ExponentialDecayCounter>.size == 16)
    }

    @Test func countsAndSumsDecayTogether() {
        var c = ExponentialDecayCounter()
        c.add(100, at: 0, halfLife: h)
        c.add(50, at: day, halfLife: h)
        #expect(abs(c.count(at: day, halfLife: h) - 1.5) < 1e-6)
        #expect(abs(c.sum(at: day, halfLife: h) - 100) < 1e-4)
        #expect(abs(c.count(at: 2 * day, halfLife: h) - 0.75) < 1e-6)
        #expect(abs(c.mean - 100.0 / 1.5) < 1e-4)
        #expect(ExponentialDecayCounter().mean == 0)
    }

    @Test func equalsTwoDecayingSums() {
        var c = ExponentialDecayCounter()
        var count = DecayingSum()
        var sum = DecayingSum()
        var rng = DeterministicRandom(seed: 92)
        var t: Int64 = 0
        for i in 0..<500 {
            t += Int64(rng.nextInt(below: 4 * 3_600_000))
            let late = i % 10 == 9 ? Int64(rng.nextInt(below: 3_600_000)) : 0
            let v = rng.nextDouble(in: 1, 500)
            c.add(v, at: t - late, halfLife: h)
            count.add(1, at: t - late, halfLife: h)
            sum.add(v, at: t - late, halfLife: h)
        }
        #expect(c.count == count.value && c.sum == sum.value && c.lastUpdate == count.lastUpdate)
    }

    @Test func stateRoundTrip() throws {
        var c = ExponentialDecayCounter()
        c.add(3, at: 5, halfLife: h)
        #expect(try roundTrip(c) == c)
        #expect(c.encodedBytes().count == 16)
    }
}
