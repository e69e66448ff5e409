import Testing
@testable import FraudEvaluation

@Suite struct CardPrecisionAtKTests {
    // Cards: A=1, B=2, C=3, D=4.
    // Day 0: A {0.9 legit, 0.1 fraud} → max 0.9, fraud; B 0.8 legit; C 0.7 fraud.
    //        top 2 = A (fraud), B → 1/2.
    // Day 1: A 0.95 fraud; B 0.5 fraud; C 0.4 legit.
    //        plain: top 2 = A, B → 2/2. excluding A (found on day 0): B, C → 1/2.
    // Day 2: only D, fraud → 1/k = 1/2 (divided by k even with fewer cards).
    let days = [0, 0, 0, 0, 1, 1, 1, 2]
    let cards = [1, 1, 2, 3, 1, 2, 3, 4]
    let scores = [0.9, 0.1, 0.8, 0.7, 0.95, 0.5, 0.4, 0.3]
    let labels = [false, true, false, true, true, true, false, true]

    @Test func plainVersion() throws {
        let metric = CardPrecisionAtK(days: days, cards: cards, scores: scores, labels: labels, k: 2)
        #expect(metric.days.map(\.precision) == [0.5, 1.0, 0.5])
        #expect(metric.days.map(\.cards) == [3, 3, 1])
        #expect(metric.days.map(\.day) == [0, 1, 2])
        let mean = try #require(metric.mean)
        #expect(abs(mean - 2.0 / 3.0) < 1e-12)
    }

    @Test func excludingKnownCompromisedCards() throws {
        let metric = CardPrecisionAtK(
            days: days, cards: cards, scores: scores, labels: labels, k: 2, excludeKnownCompromised: true)
        #expect(metric.days.map(\.precision) == [0.5, 0.5, 0.5])
        #expect(metric.days.map(\.cards) == [3, 2, 1])
    }

    @Test func tiesRankByCardNumber() {
        // Cards 3 (fraud) and 1 (legit) tie at 0.5; k = 1 takes card 1.
        let metric = CardPrecisionAtK(days: [7, 7], cards: [3, 1], scores: [0.5, 0.5], labels: [true, false], k: 1)
        #expect(metric.days.map(\.precision) == [0])
        let reversed = CardPrecisionAtK(days: [7, 7], cards: [3, 1], scores: [0.5, 0.5], labels: [false, true], k: 1)
        #expect(reversed.days.map(\.precision) == [1])
    }

    @Test func emptyInputHasNoMean() {
        #expect(CardPrecisionAtK(days: [], cards: [], scores: [], labels: [], k: 100).mean == nil)
    }
}
