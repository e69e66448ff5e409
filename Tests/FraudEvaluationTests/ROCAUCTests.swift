import Testing
@testable import FraudEvaluation

@Suite struct ROCAUCTests {
    @Test func scikitLearnExample() throws {
        // sklearn's doc example: 3 of the 4 (positive, negative) pairs are ordered right.
        let auc = try #require(ROCAUC.compute(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]))
        #expect(abs(auc - 0.75) < 1e-12)
    }

    @Test func tiesCountOneHalf() throws {
        // Positives 0.5, 0.9; negatives 0.5, 0.2. Pairs: (0.5,0.5) = ½, the three others = 1.
        let auc = try #require(ROCAUC.compute(scores: [0.5, 0.5, 0.2, 0.9], labels: [true, false, false, true]))
        #expect(abs(auc - 3.5 / 4) < 1e-12)
    }

    @Test func allTiedIsOneHalf() throws {
        let auc = try #require(ROCAUC.compute(scores: [0.3, 0.3, 0.3, 0.3, 0.3], labels: [true, false, false, true, false]))
        #expect(abs(auc - 0.5) < 1e-12)
    }

    @Test func perfectAndInverted() {
        #expect(ROCAUC.compute(scores: [0.1, 0.2, 0.8, 0.9], labels: [false, false, true, true]) == 1)
        #expect(ROCAUC.compute(scores: [0.1, 0.2, 0.8, 0.9], labels: [true, true, false, false]) == 0)
    }

    @Test func undefinedWithOneClassOrMismatch() {
        #expect(ROCAUC.compute(scores: [0.1, 0.2], labels: [false, false]) == nil)
        #expect(ROCAUC.compute(scores: [0.1, 0.2], labels: [true, true]) == nil)
        #expect(ROCAUC.compute(scores: [0.1], labels: [true, false]) == nil)
        #expect(ROCAUC.compute(scores: [], labels: []) == nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func matchesTheDefinitionOnRandomTiedFixtures(seed: UInt64) throws {
        let (scores, labels) = randomFixture(seed: seed, count: 60)
        let fast = try #require(ROCAUC.compute(scores: scores, labels: labels))
        let slow = try #require(bruteForceAUC(scores, labels))
        #expect(abs(fast - slow) < 1e-12)
    }
}
