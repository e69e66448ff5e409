import Testing
@testable import FraudEvaluation

@Suite struct ConfusionCountsTests {
    @Test func countsAtThresholdInclusive() throws {
        let counts = ConfusionCounts(scores: [0.9, 0.5, 0.49, 0.1], labels: [true, false, true, false], threshold: 0.5)
        #expect(counts == ConfusionCounts(truePositives: 1, falsePositives: 1, trueNegatives: 1, falseNegatives: 1))
        #expect(counts.precision == 0.5)
        #expect(counts.recall == 0.5)
        #expect(counts.falsePositiveRate == 0.5)
        #expect(counts.f1 == 0.5)
        #expect(counts.total == 4 && counts.alerts == 2 && counts.positives == 2)
    }

    @Test func undefinedRates() {
        let none = ConfusionCounts(scores: [0.1, 0.2], labels: [false, false], threshold: 0.5)
        #expect(none.precision == nil)
        #expect(none.recall == nil)
        #expect(none.f1 == nil)
        #expect(none.falsePositiveRate == 0)
    }
}
