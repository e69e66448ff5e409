import Testing
import FraudModels

@Suite struct RobustStatisticsTests {
    @Test func isTiny() {
        #expect(MemoryLayout<RobustStatistics>.size <= 24)
        #expect(MemoryLayout<RobustStatistics>.size == 12)
        #expect(RobustStatistics().encodedBytes().count == 12)
    }

    @Test func firstObservationsFollowTheDocumentedMath() {
        var s = RobustStatistics()
        #expect(s.zScore(5) == 0)
        s.update(1)
        #expect(s.location == 1 && s.meanAbsoluteDeviation == 0 && s.count == 1)
        // n = 1, d = 0: scale is the prior, (0 + 2·1)/(1 + 2).
        #expect(abs(s.scale() - 2.0 / 3) < 1e-12)
        s.update(2)  // a = 1/2, residual 1 (< 3·σ̂ = 2): μ = 1.5, d = 0.5
        #expect(s.location == 1.5 && s.meanAbsoluteDeviation == 0.5 && s.count == 2)
    }

    @Test func tracksLocationAndScaleOfAGaussian() {
        let parameters = RobustStatistics.Parameters(halfLife: 500)
        var s = RobustStatistics()
        var rng = DeterministicRandom(seed: 81)
        for _ in 0..<20_000 { s.update(rng.nextGaussian(mean: 3, standardDeviation: 0.5), parameters: parameters) }
        #expect(abs(Double(s.location) - 3) < 0.05)
        #expect(abs(s.scale(parameters: parameters) - 0.5) < 0.05)
        #expect(abs(s.zScore(4.5, parameters: parameters) - 3) < 0.4)
        #expect(abs(s.zScore(3, parameters: parameters)) < 0.15)
    }

    @Test func oneOutlierMovesTheLocationBoundedly() {
        var s = RobustStatistics()
        var rng = DeterministicRandom(seed: 82)
        for _ in 0..<200 { s.update(rng.nextGaussian(mean: 3, standardDeviation: 0.3)) }
        let before = Double(s.location)
        let scale = s.scale()
        #expect(s.zScore(3 + 20) > 20)
        s.update(3 + 20)  // a ×e^20 amount
        let alpha = RobustStatistics.Parameters.default.alpha
        #expect(Double(s.location) - before <= alpha * 3 * scale + 1e-6)
    }

    @Test func nonFiniteValuesAreIgnored() {
        var s = RobustStatistics()
        s.update(.nan)
        s.update(.infinity)
        #expect(s.count == 0)
    }

    @Test func stateRoundTripContinuesBitIdentically() throws {
        var original = RobustStatistics()
        var rng = DeterministicRandom(seed: 83)
        for _ in 0..<50 { original.update(rng.nextGaussian(mean: 2, standardDeviation: 1)) }
        var restored = try roundTrip(original)
        for _ in 0..<500 {
            let x = rng.nextGaussian(mean: 2, standardDeviation: 1)
            #expect(sameBits(original.zScore(x), restored.zScore(x)))
            original.update(x)
            restored.update(x)
        }
        #expect(original == restored)
    }
}
