import Testing
@testable import FraudModels

@Suite struct HalfSpaceTreesTests {
    static let dims = 6

    static func clusterPoint(_ rng: inout DeterministicRandom) -> [Double] {
        (0..<dims).map { _ in min(1, max(0, 0.4 + 0.05 * rng.nextGaussian())) }
    }

    static func farPoint(_ rng: inout DeterministicRandom) -> [Double] {
        (0..<dims).map { _ in rng.nextBool(probability: 0.5) ? rng.nextDouble(in: 0.85, 1) : rng.nextDouble(in: 0, 0.1) }
    }

    static func trained(_ configuration: HalfSpaceTrees.Configuration, points: Int = 1_000) -> HalfSpaceTrees {
        var rng = DeterministicRandom(seed: 71)
        var forest = HalfSpaceTrees(configuration: configuration)
        for _ in 0..<points { forest.learn(clusterPoint(&rng)) }
        return forest
    }

    @Test(arguments: [HalfSpaceTrees.Configuration.Normalization.logarithmic, .linear])
    func pointsFarFromTheClusterScoreHigher(normalization: HalfSpaceTrees.Configuration.Normalization) {
        let forest = Self.trained(.init(dimensions: Self.dims, seed: 5, normalization: normalization))
        var rng = DeterministicRandom(seed: 72)
        let inside = (0..<300).map { _ in forest.score(Self.clusterPoint(&rng)) }
        let outside = (0..<300).map { _ in forest.score(Self.farPoint(&rng)) }
        var wins = 0
        for a in outside { for b in inside where a > b { wins += 1 } }
        let auc = Double(wins) / Double(inside.count * outside.count)
        #expect(auc > 0.97)
        let meanInside = inside.reduce(0, +) / Double(inside.count)
        let meanOutside = outside.reduce(0, +) / Double(outside.count)
        #expect(meanOutside > meanInside)
        if normalization == .logarithmic { #expect(meanInside < 0.75) }
    }

    @Test func scoresStayInTheUnitInterval() {
        var forest = Self.trained(.init(dimensions: Self.dims, windowSize: 50))
        var rng = DeterministicRandom(seed: 73)
        for _ in 0..<2_000 {
            let x = (0..<Self.dims).map { _ in rng.nextDouble(in: -2, 3) }
            let s = forest.scoreThenLearn(x)
            #expect(s >= 0 && s <= 1)
        }
        #expect(forest.score([Double](repeating: .nan, count: Self.dims)) >= 0)
    }

    @Test func scoresAreZeroUntilTheFirstWindowCompletes() {
        var forest = HalfSpaceTrees(configuration: .init(dimensions: 2, windowSize: 10))
        var rng = DeterministicRandom(seed: 74)
        for _ in 0..<9 {
            #expect(forest.scoreThenLearn([rng.nextDouble(), rng.nextDouble()]) == 0)
        }
        #expect(!forest.isWarm)
        _ = forest.scoreThenLearn([0.5, 0.5])
        #expect(forest.isWarm)
        #expect(forest.score([0.99, 0.01]) > 0)
    }

    @Test func windowsSwapEveryWindowSizePoints() {
        let c = HalfSpaceTrees.Configuration(dimensions: 3, treeCount: 4, height: 5, windowSize: 40)
        var forest = HalfSpaceTrees(configuration: c)
        var rng = DeterministicRandom(seed: 75)
        for _ in 0..<40 { forest.learn([rng.nextDouble(), rng.nextDouble(), rng.nextDouble()]) }
        #expect(forest.completedWindows == 1 && forest.pointsInCurrentWindow == 0)
        let leaves = (1 << 5) - 1..<((2 << 5) - 1)
        for tree in 0..<4 {
            #expect(forest.referenceMass(tree: tree, node: 0) == 40)
            #expect(forest.latestMass(tree: tree, node: 0) == 0)
            #expect(leaves.map { forest.referenceMass(tree: tree, node: $0) }.reduce(0, +) == 40)
            // Masses are consistent: each node holds the sum of its children.
            for node in 0..<((1 << 5) - 1) {
                #expect(forest.referenceMass(tree: tree, node: node)
                    == forest.referenceMass(tree: tree, node: 2 * node + 1)
                    + forest.referenceMass(tree: tree, node: 2 * node + 2))
            }
        }
        for _ in 0..<15 { forest.learn([0.1, 0.2, 0.3]) }
        #expect(forest.pointsInCurrentWindow == 15)
        #expect(forest.latestMass(tree: 2, node: 0) == 15)
        #expect(forest.referenceMass(tree: 2, node: 0) == 40)
        // The profile that scores is the reference window: a point repeated in the latest
        // window is only "known" after the next swap.
        let before = forest.score([0.1, 0.2, 0.3])
        for _ in 0..<25 { forest.learn([0.1, 0.2, 0.3]) }
        #expect(forest.completedWindows == 2)
        #expect(forest.referenceMass(tree: 1, node: 0) == 40)
        #expect(forest.score([0.1, 0.2, 0.3]) < before)
    }

    @Test func scoreThenLearnEqualsScoreFollowedByLearn() {
        var fused = HalfSpaceTrees(configuration: .init(dimensions: 4, windowSize: 30, seed: 9))
        var separate = fused
        var rng = DeterministicRandom(seed: 76)
        for _ in 0..<500 {
            let x = (0..<4).map { _ in rng.nextDouble() }
            let a = fused.scoreThenLearn(x)
            let b = separate.score(x)
            separate.learn(x)
            #expect(sameBits(a, b))
        }
        #expect(fused.encodedBytes() == separate.encodedBytes())
    }

    /// The mass score of a forest, one tree and one level at a time, straight from the
    /// paper's definition: what the lock-step walk (ten, four or one tree at a time) must equal.
    static func referenceMass(_ forest: HalfSpaceTrees, _ x: [Double]) -> Double {
        let c = forest.configuration
        let limit = max(1, Int(c.sizeLimitFraction * Double(c.windowSize)))
        var total = 0
        for tree in 0..<c.treeCount {
            var node = 0
            for depth in 0...c.height {
                let r = forest.referenceMass(tree: tree, node: node)
                if r <= limit || depth == c.height {
                    total += r << depth
                    break
                }
                let n = forest.nodes[tree * ((2 << c.height) - 1) + node]
                node = 2 * node + 1 + (Float(x[Int(n.feature)]) >= n.split ? 1 : 0)
            }
        }
        return Double(total)
    }

    @Test(arguments: [1, 3, 4, 7, 10, 13, 24])
    func lockStepWalkEqualsOneTreeAtATime(trees: Int) {
        var forest = HalfSpaceTrees(configuration: .init(dimensions: 3, treeCount: trees, height: 6, windowSize: 50, seed: 11))
        var rng = DeterministicRandom(seed: 77)
        var nonZero = 0
        for _ in 0..<400 {
            let x = (0..<3).map { _ in rng.nextDouble() }
            let expected = Self.referenceMass(forest, x)
            let mass = x.withUnsafeBufferPointer { forest.massScore($0) }
            #expect(mass == expected)
            if mass > 0 { nonZero += 1 }
            forest.learn(x)
        }
        #expect(nonZero > 200)
    }

    @Test func treesDependOnlyOnTheSeed() {
        let a = HalfSpaceTrees(configuration: .init(dimensions: 5, seed: 1))
        let b = HalfSpaceTrees(configuration: .init(dimensions: 5, seed: 1))
        let c = HalfSpaceTrees(configuration: .init(dimensions: 5, seed: 2))
        #expect(a.encodedBytes() == b.encodedBytes())
        #expect(a.encodedBytes() != c.encodedBytes())
        // Tree t is the same whatever the tree count.
        let small = HalfSpaceTrees(configuration: .init(dimensions: 5, treeCount: 3, seed: 1))
        #expect(small.nodes[0..<small.nodes.count].elementsEqual(a.nodes[0..<small.nodes.count]) {
            $0.split == $1.split && $0.feature == $1.feature
        })
    }

    @Test func linearNormalizationIsOneMinusMassOverMaximum() {
        let forest = Self.trained(.init(dimensions: Self.dims, normalization: .linear))
        var rng = DeterministicRandom(seed: 77)
        let x = Self.clusterPoint(&rng)
        let mass = x.withUnsafeBufferPointer { forest.massScore($0) }
        #expect(forest.score(x) == 1 - mass / (10 * 250 * 256))
    }

    @Test func stateRoundTripContinuesBitIdentically() throws {
        var original = Self.trained(.init(dimensions: Self.dims, windowSize: 64), points: 1_000)
        var restored = try roundTrip(original)
        #expect(restored.configuration == original.configuration)
        #expect(restored.pointsInCurrentWindow == original.pointsInCurrentWindow)
        var rng = DeterministicRandom(seed: 78)
        for i in 0..<1_000 {
            let x = i % 7 == 0 ? Self.farPoint(&rng) : Self.clusterPoint(&rng)
            #expect(sameBits(original.scoreThenLearn(x), restored.scoreThenLearn(x)))
        }
        #expect(original.encodedBytes() == restored.encodedBytes())
    }

    @Test func corruptedStateIsRejected() {
        let forest = HalfSpaceTrees(configuration: .init(dimensions: 2, treeCount: 2, height: 3))
        var bytes = forest.encodedBytes()
        bytes[bytes.count - 9] = 0xFF  // high byte of the last node's split feature
        #expect(throws: StateError.self) { _ = try HalfSpaceTrees(decoding: bytes) }
        #expect(throws: StateError.self) { _ = try HalfSpaceTrees(decoding: Array(forest.encodedBytes().prefix(40))) }
    }
}
