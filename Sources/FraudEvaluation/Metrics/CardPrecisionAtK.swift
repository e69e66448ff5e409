/// Card precision@k, as the ULB fraud-detection handbook defines it.
///
/// For each day: every card that transacted that day gets the highest score of its
/// transactions that day; the `k` cards with the highest such scores are "investigated";
/// the day's precision is the number of those cards with at least one fraud that day,
/// divided by `k` (by `k` even when fewer cards transacted, as in the handbook). The result
/// is the mean over the days that had transactions.
///
/// Equal scores are ranked by card number, ascending, so the value is deterministic.
///
/// By default this is the plain version (the handbook's chapter on performance metrics).
/// With `excludeKnownCompromised`, a card found fraudulent in an earlier day's top k is no
/// longer ranked on later days, as in the handbook's later chapters (an investigator does
/// not investigate a card that is already blocked).
public struct CardPrecisionAtK: Hashable, Sendable {
    /// One day's result.
    public struct Day: Hashable, Sendable {
        /// Day number, as given by the caller.
        public var day: Int
        /// Cards that transacted that day (after exclusions).
        public var cards: Int
        /// Cards in the top k with a fraud that day.
        public var detectedCards: Int
        /// `detectedCards / k`.
        public var precision: Double
    }

    /// k.
    public var k: Int
    /// Per-day results, by increasing day.
    public var days: [Day]
    /// Mean of the daily precisions; nil when there is no day.
    public var mean: Double? {
        days.isEmpty ? nil : days.reduce(0.0) { $0 + $1.precision } / Double(days.count)
    }

    /// Computes card precision@k. All arrays are parallel, one element per transaction.
    ///
    /// - Parameters:
    ///   - days: day number of each transaction (e.g. days since the evaluation start).
    ///   - cards: card number of each transaction (interned card ids).
    ///   - scores: the score of each transaction.
    ///   - labels: whether each transaction is a fraud.
    ///   - k: cards investigated per day, > 0.
    ///   - excludeKnownCompromised: drop cards detected on earlier days from later rankings.
    /// - Precondition: the arrays have equal lengths.
    public init(
        days: [Int], cards: [Int], scores: [Double], labels: [Bool], k: Int,
        excludeKnownCompromised: Bool = false
    ) {
        precondition(days.count == cards.count && cards.count == scores.count && scores.count == labels.count)
        precondition(k > 0, "k must be positive")
        self.k = k
        self.days = []
        // Sort transactions by (day, card) so each (day, card) group is contiguous.
        var order = Array(0..<days.count)
        order.sort { days[$0] != days[$1] ? days[$0] < days[$1] : cards[$0] < cards[$1] }
        var known = Set<Int>()  // membership tests only: order never matters
        var start = 0
        while start < order.count {
            let day = days[order[start]]
            // One entry per card of this day: (card, max score, any fraud).
            var perCard: [(card: Int, score: Double, fraud: Bool)] = []
            var index = start
            while index < order.count && days[order[index]] == day {
                let card = cards[order[index]]
                var best = -Double.infinity
                var fraud = false
                while index < order.count && days[order[index]] == day && cards[order[index]] == card {
                    best = max(best, scores[order[index]])
                    fraud = fraud || labels[order[index]]
                    index += 1
                }
                if !(excludeKnownCompromised && known.contains(card)) {
                    perCard.append((card, best, fraud))
                }
            }
            perCard.sort { $0.score != $1.score ? $0.score > $1.score : $0.card < $1.card }
            var detected = 0
            for entry in perCard.prefix(k) where entry.fraud {
                detected += 1
                if excludeKnownCompromised { known.insert(entry.card) }
            }
            self.days.append(Day(day: day, cards: perCard.count, detectedCards: detected, precision: Double(detected) / Double(k)))
            start = index
        }
    }
}
