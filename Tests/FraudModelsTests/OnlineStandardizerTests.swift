import Testing
@testable import FraudModels

@Suite struct OnlineStandardizerTests {
    static func sample(_ rng: inout DeterministicRandom) -> [Double] {
        [1_000 + 50 * rng.nextGaussian(), -3 + 0.001 * rng.nextGaussian(), rng.nextExponential(rate: 0.2)]
    }

    @Test func cumulativeMatchesTwoPassComputation() {
        var rng = DeterministicRandom(seed: 41)
        var standardizer = OnlineStandardizer(dimension: 3)
        var rows: [[Double]] = []
        for _ in 0..<5_000 {
            let x = Self.sample(&rng)
            rows.append(x)
            standardizer.update(with: x)
        }
        for d in 0..<3 {
            let column = rows.map { $0[d] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            #expect(abs(standardizer.mean(at: d) - mean) <= 1e-12 * max(1, abs(mean)))
            #expect(abs(standardizer.variance(at: d) - variance) <= 1e-9 * variance)
            #expect(standardizer.count(at: d) == 5_000)
        }
        var probe = [1_050.0, -3.0, 5.0]
        standardizer.transform(&probe)
        #expect(abs(probe[0] - (1_050 - standardizer.mean(at: 0)) / standardizer.variance(at: 0).squareRoot()) < 1e-12)
    }

    @Test func exponentialAveragingForgets() {
        let configuration = OnlineStandardizer.Configuration(dimension: 1, averaging: .exponential(halfLife: 100))
        var standardizer = OnlineStandardizer(configuration: configuration)
        for _ in 0..<2_000 { standardizer.update(with: [0]) }
        for _ in 0..<100 { standardizer.update(with: [10]) }
        // After one half-life at the new level the mean is half-way there.
        #expect(abs(standardizer.mean(at: 0) - 5) < 0.05)
        // Early observations are an exact running average (a = 1/n while 1/n > α).
        var fresh = OnlineStandardizer(configuration: configuration)
        fresh.update(with: [2])
        fresh.update(with: [4])
        #expect(fresh.mean(at: 0) == 3)
        #expect(fresh.variance(at: 0) == 1)
    }

    @Test func valuesAreClippedAndConstantDimensionsGiveZero() {
        var standardizer = OnlineStandardizer(dimension: 2)
        for i in 0..<100 { standardizer.update(with: [Double(i % 2), 7]) }
        var x = [1_000.0, 8.0]
        standardizer.transform(&x)
        #expect(x == [5, 0])
        var y = [-1_000.0, 7.0]
        standardizer.transform(&y)
        #expect(y == [-5, 0])
    }

    @Test func nanIsMissing() {
        var standardizer = OnlineStandardizer(dimension: 2)
        standardizer.update(with: [1, 1])
        standardizer.update(with: [3, .nan])
        #expect(standardizer.count(at: 0) == 2)
        #expect(standardizer.count(at: 1) == 1)
        var x = [Double.nan, 2]
        standardizer.transform(&x)
        #expect(x[0] == 0)
    }

    @Test func transformThenUpdateEqualsTransformFollowedByUpdate() {
        var rng = DeterministicRandom(seed: 42)
        var fused = OnlineStandardizer(dimension: 3)
        var separate = OnlineStandardizer(dimension: 3)
        for step in 0..<1_000 {
            var raw = Self.sample(&rng)
            if step % 17 == 5 { raw[step % 3] = .nan }  // missing values take the same path too
            var a = raw
            fused.transformThenUpdate(&a)
            var b = raw
            separate.transform(&b)
            separate.update(with: raw)
            #expect(sameBits(a, b))
        }
        #expect(fused.encodedBytes() == separate.encodedBytes())
    }

    @Test(arguments: [OnlineStandardizer.Configuration.Averaging.cumulative, .exponential(halfLife: 50)])
    func stateRoundTripContinuesBitIdentically(averaging: OnlineStandardizer.Configuration.Averaging) throws {
        var rng = DeterministicRandom(seed: 43)
        var original = OnlineStandardizer(configuration: .init(dimension: 3, averaging: averaging, clip: 4))
        for _ in 0..<500 { original.update(with: Self.sample(&rng)) }
        var restored = try roundTrip(original)
        #expect(restored.configuration == original.configuration)
        for _ in 0..<500 {
            let raw = Self.sample(&rng)
            var a = raw
            var b = raw
            original.transformThenUpdate(&a)
            restored.transformThenUpdate(&b)
            #expect(sameBits(a, b))
        }
        #expect(original.encodedBytes() == restored.encodedBytes())
    }
}
