import Testing
import FraudModels

@Suite struct DecayingSumTests {
    let h = HalfLife.hours(1)
    let hour: Int64 = 3_600_000

    @Test func isSmall() {
        #expect(MemoryLayout<DecayingSum>.size == 16)
        #expect(DecayingSum().encodedBytes().count == 12)
    }

    @Test func matchesClosedForm() {
        var s = DecayingSum()
        #expect(s.value(at: 0, halfLife: h) == 0)
        s.add(10, at: 0, halfLife: h)
        #expect(abs(s.value(at: hour, halfLife: h) - 5) < 1e-5)
        #expect(abs(s.value(at: 2 * hour, halfLife: h) - 2.5) < 1e-5)
        s.add(4, at: hour, halfLife: h)
        #expect(abs(s.value(at: hour, halfLife: h) - 9) < 1e-5)
        // Many events: Σ v_i 2^{-(t - t_i)/H}.
        var rng = DeterministicRandom(seed: 91)
        var sum = DecayingSum()
        var events: [(Int64, Double)] = []
        var t: Int64 = 1_700_000_000_000
        for _ in 0..<300 {
            t += Int64(rng.nextInt(below: 600_000))
            let v = rng.nextDouble(in: 1, 100)
            events.append((t, v))
            sum.add(v, at: t, halfLife: h)
        }
        let now = t + 1_234_567
        let exact = events.reduce(0.0) { acc, e in
            acc + e.1 * DeterministicMath.exp2(-Double(now - e.0) / Double(hour))
        }
        #expect(abs(sum.value(at: now, halfLife: h) - exact) < 1e-5 * exact)
    }

    @Test func lateEventsLandWhereTheyBelong() {
        var inOrder = DecayingSum()
        inOrder.add(3, at: 0, halfLife: h)
        inOrder.add(5, at: hour, halfLife: h)
        var late = DecayingSum()
        late.add(5, at: hour, halfLife: h)
        late.add(3, at: 0, halfLife: h)
        #expect(late.lastUpdate == hour)
        #expect(abs(late.value(at: 3 * hour, halfLife: h) - inOrder.value(at: 3 * hour, halfLife: h)) < 1e-6)
        // Asking for a time before the last update returns the value at the last update.
        #expect(late.value(at: 0, halfLife: h) == Double(late.value))
    }

    @Test func stateRoundTripContinuesBitIdentically() throws {
        var original = DecayingSum()
        original.add(7, at: 100, halfLife: h)
        var restored = try roundTrip(original)
        for i in 1...100 {
            original.add(Double(i), at: 100 + Int64(i) * 60_000, halfLife: h)
            restored.add(Double(i), at: 100 + Int64(i) * 60_000, halfLife: h)
        }
        #expect(original == restored)
    }
}
