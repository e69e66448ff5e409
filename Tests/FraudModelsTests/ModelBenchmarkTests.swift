#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import FraudModels

@Suite struct ModelBenchmarkTests {
    static let keys = [
        "lr.logit", "lr.logit+learn", "hst.scoreThenLearn", "standardizer.transformThenUpdate",
        "minmax.updateThenTransform", "counter.multiHorizon.add", "robust.zScore+update", "hash.string16",
    ]

    @Test func reportsEveryFigure() {
        let figures = ModelBenchmark.run(iterations: 2_000, repetitions: 1)
        for key in Self.keys {
            let value = figures[key]
            #expect(value != nil && value! > 0, "missing or non-positive figure \(key)")
        }
    }

    /// Prints release-build figures when FRAUDMODELS_BENCH is set (no assertion on speed):
    /// `FRAUDMODELS_BENCH=1 swift test -c release --filter ModelBenchmarkTests`.
    @Test(.enabled(if: getenv("FRAUDMODELS_BENCH") != nil))
    func printFigures() {
        let figures = ModelBenchmark.run(iterations: 1_000_000, repetitions: 7)
        for key in Self.keys.sorted() {
            print("bench \(key): \(figures[key]!) ns/op")
        }
    }
}
