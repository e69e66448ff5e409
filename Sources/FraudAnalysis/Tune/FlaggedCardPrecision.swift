/// Card precision@k of an arbitrary set of flagged transactions (e.g. flagged by a
/// different threshold per segment): each UTC day, a card is flagged when any of its
/// transactions that day is, and ranked by the highest score of its flagged transactions
/// (ties: lower card number first); the top `k` flagged cards are investigated; the day's
/// precision is those with a fraud that day divided by `k`; the mean is over the days with
/// transactions. With `flagged = score >= t` this equals ``ThresholdSweep``'s value at `t`.
public enum FlaggedCardPrecision {
    /// The mean over days; nil without transactions. All arrays are parallel.
    public static func compute(
        days: [Int], cards: [Int], scores: [Double], frauds: [Bool], flagged: [Bool], k: Int
    ) -> Double? {
        precondition(days.count == cards.count && cards.count == scores.count && scores.count == frauds.count && frauds.count == flagged.count)
        precondition(k > 0, "k must be positive")
        guard !days.isEmpty else { return nil }
        var order = Array(days.indices)
        order.sort { days[$0] != days[$1] ? days[$0] < days[$1] : cards[$0] < cards[$1] }
        var total = 0.0
        var dayCount = 0
        var ranked: [(card: Int, score: Double, fraud: Bool)] = []
        var position = 0
        while position < order.count {
            let day = days[order[position]]
            ranked.removeAll(keepingCapacity: true)
            while position < order.count && days[order[position]] == day {
                let card = cards[order[position]]
                var best = -Double.infinity
                var anyFlagged = false
                var fraud = false
                while position < order.count && days[order[position]] == day && cards[order[position]] == card {
                    let i = order[position]
                    fraud = fraud || frauds[i]
                    if flagged[i] {
                        anyFlagged = true
                        best = max(best, scores[i])
                    }
                    position += 1
                }
                if anyFlagged { ranked.append((card, best, fraud)) }
            }
            ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.card < $1.card }
            total += Double(ranked.prefix(k).filter(\.fraud).count) / Double(k)
            dayCount += 1
        }
        return total / Double(dayCount)
    }
}
