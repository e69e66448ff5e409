import Testing
@testable import FraudModels

@Suite struct LogisticRegressionTests {
    /// A seeded, linearly separable problem: label = 1.5·x0 − x1 + (slot 3 active ? 2 : 0) > 0.5.
    struct Example {
        var dense: [Double]
        var sparse: [UInt32]
        var label: Bool
    }

    static func separable(_ rng: inout DeterministicRandom, denseCount: Int = 4) -> Example {
        let dense = (0..<denseCount).map { _ in rng.nextGaussian() }
        let slot = UInt32(rng.nextInt(below: 8))
        let score = 1.5 * dense[0] - dense[1] + (slot == 3 ? 2 : 0)
        return Example(dense: dense, sparse: [slot, 100 + UInt32(rng.nextInt(below: 50))], label: score > 0.5)
    }

    @Test func learnsASeparableProblem() {
        var rng = DeterministicRandom(seed: 61)
        var model = LogisticRegression(configuration: .init(denseCount: 4, hashBits: 12, alpha: 0.5, l1: 0.1, l2: 0.1))
        for _ in 0..<20_000 {
            let e = Self.separable(&rng)
            model.learn(dense: e.dense, sparse: e.sparse, label: e.label)
        }
        var correct = 0
        let tests = 4_000
        for _ in 0..<tests {
            let e = Self.separable(&rng)
            if (model.probability(dense: e.dense, sparse: e.sparse) > 0.5) == e.label { correct += 1 }
        }
        #expect(Double(correct) / Double(tests) > 0.97)
        #expect(model.denseWeight(at: 0) > 0 && model.denseWeight(at: 1) < 0)
        #expect(model.sparseWeight(slot: 3) > 1)
        #expect(model.updates == 20_000)
    }

    @Test func l1ProducesExactZeros() {
        var rng = DeterministicRandom(seed: 62)
        let denseCount = 20
        var model = LogisticRegression(configuration: .init(denseCount: denseCount, hashBits: 14, l1: 60))
        for _ in 0..<5_000 {
            // Only feature 0 matters; 1..<20 and the sparse slots are noise.
            let dense = (0..<denseCount).map { _ in rng.nextGaussian() }
            let sparse = [UInt32(rng.nextInt(below: 1 << 14))]
            model.learn(dense: dense, sparse: sparse, label: dense[0] > 0)
        }
        #expect(model.denseWeight(at: 0) > 0)
        var zeros = 0
        for i in 1..<denseCount where model.denseWeight(at: i) == 0 { zeros += 1 }
        #expect(zeros == denseCount - 1)
        #expect(model.nonZeroSparseWeightCount == 0)
        // Without L1 the same noise gets (small) non-zero weights.
        var dense = LogisticRegression(configuration: .init(denseCount: denseCount, hashBits: 14, l1: 0))
        var rng2 = DeterministicRandom(seed: 62)
        for _ in 0..<5_000 {
            let x = (0..<denseCount).map { _ in rng2.nextGaussian() }
            dense.learn(dense: x, sparse: [UInt32(rng2.nextInt(below: 1 << 14))], label: x[0] > 0)
        }
        #expect((1..<denseCount).allSatisfy { dense.denseWeight(at: $0) != 0 })
    }

    /// Overlapping 1-D classes: positives ~ N(1, 1), negatives ~ N(−1, 1), 10 % positives.
    static func train(positiveWeight: Double, sampleWeightForPositives: Double = 1) -> LogisticRegression {
        var rng = DeterministicRandom(seed: 63)
        var model = LogisticRegression(configuration: .init(
            denseCount: 1, hashBits: 4, alpha: 0.2, l1: 0, l2: 0, positiveWeight: positiveWeight))
        for _ in 0..<30_000 {
            let positive = rng.nextBool(probability: 0.1)
            let x = rng.nextGaussian() + (positive ? 1 : -1)
            model.learn(dense: [x], sparse: [], label: positive, weight: positive ? sampleWeightForPositives : 1)
        }
        return model
    }

    @Test func classWeightingShiftsTheBoundary() {
        let plain = Self.train(positiveWeight: 1)
        let weighted = Self.train(positiveWeight: 9)
        let byWeight = Self.train(positiveWeight: 1, sampleWeightForPositives: 9)
        // Decision boundary x where logit = 0: −intercept / w.
        let plainBoundary = -plain.intercept / plain.denseWeight(at: 0)
        let weightedBoundary = -weighted.intercept / weighted.denseWeight(at: 0)
        let sampleBoundary = -byWeight.intercept / byWeight.denseWeight(at: 0)
        // Bayes boundaries: ln(9)/2 ≈ 1.10 unweighted, 0 with positives weighted 9×.
        #expect(plainBoundary > 0.8)
        #expect(abs(weightedBoundary) < 0.3)
        #expect(abs(sampleBoundary) < 0.3)
        #expect(weighted.probability(dense: [0.5], sparse: []) > plain.probability(dense: [0.5], sparse: []) + 0.2)
    }

    @Test func contributionsAddUpToTheLogit() {
        var rng = DeterministicRandom(seed: 64)
        var model = LogisticRegression(configuration: .init(denseCount: 4, hashBits: 10))
        for _ in 0..<2_000 {
            let e = Self.separable(&rng)
            model.learn(dense: e.dense, sparse: e.sparse, label: e.label)
        }
        let e = Self.separable(&rng)
        var parts = [Double](repeating: .nan, count: model.contributionCount)
        e.dense.withUnsafeBufferPointer { d in
            e.sparse.withUnsafeBufferPointer { s in
                parts.withUnsafeMutableBufferPointer { model.contributions(dense: d, sparse: s, into: $0) }
            }
        }
        #expect(parts.count == 6)
        #expect(abs(parts.reduce(0, +) - model.logit(dense: e.dense, sparse: e.sparse)) < 1e-12)
        #expect(parts[5] == model.intercept)
        #expect(parts[4] == model.sparseWeight(slot: e.sparse[0]) + model.sparseWeight(slot: e.sparse[1]))
        var weights = [0.0, 0.0]
        e.sparse.withUnsafeBufferPointer { s in
            weights.withUnsafeMutableBufferPointer { model.sparseWeights(sparse: s, into: $0) }
        }
        #expect(weights == [model.sparseWeight(slot: e.sparse[0]), model.sparseWeight(slot: e.sparse[1])])
    }

    @Test func learnReturnsThePriorProbabilityAndSlotsAreMasked() {
        var model = LogisticRegression(configuration: .init(denseCount: 1, hashBits: 8))
        #expect(model.learn(dense: [1], sparse: [3], label: true) == 0.5)
        #expect(model.sparseWeight(slot: 3) == model.sparseWeight(slot: 3 + 256))
        #expect(model.logit(dense: [1], sparse: [3]) == model.logit(dense: [1], sparse: [259]))
    }

    @Test func identicalStreamsGiveIdenticalModels() {
        var a = LogisticRegression(configuration: .init(denseCount: 4, hashBits: 10))
        var b = a
        var rng = DeterministicRandom(seed: 65)
        for _ in 0..<3_000 {
            let e = Self.separable(&rng)
            a.learn(dense: e.dense, sparse: e.sparse, label: e.label, weight: 1.5)
            b.learn(dense: e.dense, sparse: e.sparse, label: e.label, weight: 1.5)
        }
        #expect(a.encodedBytes() == b.encodedBytes())
    }

    @Test(arguments: [4, 18])
    func stateRoundTripContinuesBitIdentically(hashBits: Int) throws {
        // 4 bits: every slot used, full-array encoding; 18 bits: sparse-list encoding.
        var rng = DeterministicRandom(seed: 66)
        var original = LogisticRegression(configuration: .init(
            denseCount: 4, hashBits: hashBits, alpha: 0.3, l1: 0.5, positiveWeight: 3))
        for _ in 0..<2_000 {
            let e = Self.separable(&rng)
            original.learn(dense: e.dense, sparse: e.sparse, label: e.label)
        }
        let bytes = original.encodedBytes()
        var restored = try LogisticRegression(decoding: bytes)
        #expect(restored.configuration == original.configuration)
        #expect(restored.updates == original.updates)
        if hashBits == 18 { #expect(bytes.count < 100_000) }
        for _ in 0..<2_000 {
            let e = Self.separable(&rng)
            #expect(sameBits(original.logit(dense: e.dense, sparse: e.sparse),
                             restored.logit(dense: e.dense, sparse: e.sparse)))
            let p1 = original.learn(dense: e.dense, sparse: e.sparse, label: e.label)
            let p2 = restored.learn(dense: e.dense, sparse: e.sparse, label: e.label)
            #expect(sameBits(p1, p2))
        }
        #expect(original.encodedBytes() == restored.encodedBytes())
    }

    @Test func corruptedStateIsRejected() {
        let model = LogisticRegression(configuration: .init(denseCount: 2, hashBits: 4))
        var bytes = model.encodedBytes()
        bytes[0] = 9
        #expect(throws: StateError.self) { _ = try LogisticRegression(decoding: bytes) }
        #expect(throws: StateError.self) { _ = try LogisticRegression(decoding: Array(model.encodedBytes().dropLast())) }
    }
}
