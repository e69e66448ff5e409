import Testing
import FraudModels

@Suite struct HalfLifeTests {
    @Test func decayFactorHalvesEveryHalfLife() {
        let h = HalfLife.hours(2)
        #expect(h.milliseconds == 7_200_000)
        #expect(h.decayFactor(elapsedMilliseconds: 0) == 1)
        #expect(h.decayFactor(elapsedMilliseconds: -5) == 1)
        #expect(abs(h.decayFactor(elapsedMilliseconds: 7_200_000) - 0.5) < 1e-15)
        #expect(abs(h.decayFactor(elapsedMilliseconds: 3 * 7_200_000) - 0.125) < 1e-15)
        #expect(HalfLife.days(1) == HalfLife.hours(24))
        #expect(HalfLife.minutes(1) == HalfLife.seconds(60))
    }

    @Test func equivalentWindowMatchesASlidingWindowForASteadyStream() {
        // One event per minute for 10 days; an "equivalent 1 h window" holds about 60.
        let h = HalfLife(equivalentWindowMilliseconds: 3_600_000)
        var counter = ExponentialDecayCounter()
        for minute in 0..<14_400 { counter.add(1, at: Int64(minute) * 60_000, halfLife: h) }
        #expect(abs(counter.count(at: 14_399 * 60_000, halfLife: h) - 60) < 1)
    }
}
