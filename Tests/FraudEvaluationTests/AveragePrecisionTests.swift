import Testing
@testable import FraudEvaluation

@Suite struct AveragePrecisionTests {
    @Test func scikitLearnExample() throws {
        // Descending: 0.8 F→P=1,R=½; 0.4 L→R unchanged; 0.35 F→P=⅔,R=1; 0.1 L.
        // AP = ½·1 + ½·⅔ = 5/6 (sklearn's documented 0.83).
        let ap = try #require(AveragePrecision.compute(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]))
        #expect(abs(ap - 5.0 / 6.0) < 1e-12)
    }

    @Test func tiedScoresFormOneThreshold() throws {
        // 0.9 L: R=0. {0.5 F, 0.5 L} enter together: P=⅓, R=½. 0.2 F: P=½, R=1.
        // AP = ½·⅓ + ½·½ = 5/12.
        let ap = try #require(AveragePrecision.compute(scores: [0.9, 0.5, 0.5, 0.2], labels: [false, true, false, true]))
        #expect(abs(ap - 5.0 / 12.0) < 1e-12)
    }

    @Test func perfectRankingIsOne() {
        #expect(AveragePrecision.compute(scores: [0.9, 0.8, 0.1], labels: [true, true, false]) == 1)
    }

    @Test func undefinedWithoutFraud() {
        #expect(AveragePrecision.compute(scores: [0.9, 0.8], labels: [false, false]) == nil)
        #expect(AveragePrecision.compute(scores: [0.9], labels: [true, false]) == nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func matchesTheDefinitionOnRandomTiedFixtures(seed: UInt64) throws {
        let (scores, labels) = randomFixture(seed: seed, count: 60)
        let fast = try #require(AveragePrecision.compute(scores: scores, labels: labels))
        let slow = try #require(bruteForceAP(scores, labels))
        #expect(abs(fast - slow) < 1e-12)
    }
}
