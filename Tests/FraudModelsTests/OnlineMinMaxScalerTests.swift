import Testing
import FraudModels

@Suite struct OnlineMinMaxScalerTests {
    @Test func scalesIntoTheUnitInterval() {
        var scaler = OnlineMinMaxScaler(dimension: 2)
        var empty = [3.0, 4.0]
        scaler.transform(&empty)
        #expect(empty == [0.5, 0.5])
        scaler.update(with: [0, 10])
        scaler.update(with: [4, 20])
        var x = [1.0, 25.0]
        scaler.transform(&x)
        #expect(x == [0.25, 1])
        var below = [-7.0, 15.0]
        scaler.transform(&below)
        #expect(below == [0, 0.5])
        #expect(scaler.minimum(at: 1) == 10 && scaler.maximum(at: 1) == 20)
    }

    @Test func updateThenTransformKeepsThePointInside() {
        var scaler = OnlineMinMaxScaler(dimension: 1)
        var values = [5.0]
        scaler.updateThenTransform(&values)
        #expect(values == [0.5])  // single point: no range yet
        var next = [9.0]
        scaler.updateThenTransform(&next)
        #expect(next == [1])
        var nan = [Double.nan]
        scaler.updateThenTransform(&nan)
        #expect(nan == [0.5])
        #expect(scaler.minimum(at: 0) == 5 && scaler.maximum(at: 0) == 9)
    }

    @Test func fixedBoundsDoNotLearn() {
        var scaler = OnlineMinMaxScaler(lower: [0], upper: [24])
        scaler.update(with: [100])
        var x = [6.0]
        scaler.transform(&x)
        #expect(x == [0.25])
        var learning = OnlineMinMaxScaler(lower: [0], upper: [24], learns: true)
        learning.update(with: [48])
        #expect(learning.maximum(at: 0) == 48)
    }

    @Test func stateRoundTripContinuesBitIdentically() throws {
        var rng = DeterministicRandom(seed: 51)
        var original = OnlineMinMaxScaler(dimension: 4)
        for _ in 0..<100 { original.update(with: (0..<4).map { _ in rng.nextGaussian() }) }
        var restored = try roundTrip(original)
        for _ in 0..<100 {
            let raw = (0..<4).map { _ in rng.nextGaussian() * 2 }
            var a = raw
            var b = raw
            original.updateThenTransform(&a)
            restored.updateThenTransform(&b)
            #expect(sameBits(a, b))
        }
        #expect(original.encodedBytes() == restored.encodedBytes())
    }
}
