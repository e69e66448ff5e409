import FraudEngine
import FraudEvaluation

/// What alerting on `score >= t` achieves, for any threshold `t`, after one sort.
///
/// The transactions are sorted by score once (descending) with running totals of frauds
/// and fraud amounts, so each threshold costs a binary search: a table of a thousand
/// thresholds over millions of decisions takes about as long as the sort.
///
/// Card precision@k at a threshold (the handbook's metric restricted to flagged cards):
/// each UTC day, every card gets the highest score of its transactions that day and is
/// flagged when that score reaches the threshold; the `k` flagged cards with the highest
/// scores (ties: lower card number first) are investigated; the day's precision is the
/// number of them with a fraud that day divided by `k`; the value is the mean over the days
/// with transactions. At threshold 0 it is ``CardPrecisionAtK``'s plain version.
public struct ThresholdSweep: Sendable {
    /// Days spanned by the decisions (denominator of alerts per day).
    public let days: Int
    /// Transactions.
    public let count: Int
    /// Frauds.
    public let frauds: Int
    /// k of card precision@k.
    public let k: Int
    /// Days with transactions (denominator of card precision@k).
    public let cardPrecisionDays: Int

    /// Scores, descending.
    private let sortedScores: [Double]
    /// `fraudsAbove[i]`: frauds among the first `i` sorted transactions.
    private let fraudsAbove: [Int32]
    /// `fraudUnitsAbove[i]`: fraud amount (units) among the first `i`.
    private let fraudUnitsAbove: [Int64]
    /// Whether every fraud has an amount.
    private let amountsKnown: Bool
    /// Scores of the (day, card) entries in a day's top k that had a fraud, descending.
    private let detectedCardScores: [Double]

    /// Sorts `data` for sweeping.
    /// - Parameter k: cards investigated per day, > 0.
    public init(_ data: LabelledDecisions, k: Int = 100) {
        precondition(k > 0, "k must be positive")
        self.k = k
        days = data.span.days
        count = data.count
        var order = Array(0..<data.count)
        let scores = data.scores
        order.sort { scores[$0] > scores[$1] }
        sortedScores = order.map { scores[$0] }
        var fraudRun: [Int32] = [0]
        var unitRun: [Int64] = [0]
        fraudRun.reserveCapacity(order.count + 1)
        unitRun.reserveCapacity(order.count + 1)
        var fraudTotal: Int32 = 0
        var unitTotal: Int64 = 0
        for index in order {
            if data.frauds[index] {
                fraudTotal += 1
                unitTotal &+= max(0, data.amountUnits[index])
            }
            fraudRun.append(fraudTotal)
            unitRun.append(unitTotal)
        }
        fraudsAbove = fraudRun
        fraudUnitsAbove = unitRun
        frauds = Int(fraudTotal)
        amountsKnown = data.fraudsWithoutAmount == 0
        (detectedCardScores, cardPrecisionDays) = Self.topCards(data, k: k)
    }

    /// Per day, each card's highest score and whether it had a fraud; the top k cards of each
    /// day; the scores of those with a fraud, descending.
    private static func topCards(_ data: LabelledDecisions, k: Int) -> ([Double], Int) {
        var order = Array(0..<data.count)
        let days = data.days
        let cards = data.cards
        order.sort { days[$0] != days[$1] ? days[$0] < days[$1] : cards[$0] < cards[$1] }
        var detected: [Double] = []
        var dayCount = 0
        var perCard: [(card: Int, score: Double, fraud: Bool)] = []
        var position = 0
        while position < order.count {
            let day = days[order[position]]
            perCard.removeAll(keepingCapacity: true)
            while position < order.count && days[order[position]] == day {
                let card = cards[order[position]]
                var best = -Double.infinity
                var fraud = false
                while position < order.count && days[order[position]] == day && cards[order[position]] == card {
                    best = max(best, data.scores[order[position]])
                    fraud = fraud || data.frauds[order[position]]
                    position += 1
                }
                perCard.append((card, best, fraud))
            }
            dayCount += 1
            perCard.sort { $0.score != $1.score ? $0.score > $1.score : $0.card < $1.card }
            for entry in perCard.prefix(k) where entry.fraud { detected.append(entry.score) }
        }
        detected.sort(by: >)
        return (detected, dayCount)
    }

    /// Number of elements of a descending array that are >= `threshold`.
    private static func countAtLeast(_ threshold: Double, in descending: [Double]) -> Int {
        var low = 0
        var high = descending.count
        while low < high {
            let mid = (low + high) / 2
            if descending[mid] >= threshold { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The outcome of flagging `score >= threshold`.
    public func row(at threshold: Double) -> ThresholdRow {
        let alerts = Self.countAtLeast(threshold, in: sortedScores)
        let caught = Int(fraudsAbove[alerts])
        let counts = ConfusionCounts(
            truePositives: caught, falsePositives: alerts - caught,
            trueNegatives: (count - alerts) - (frauds - caught), falseNegatives: frauds - caught)
        let detected = Self.countAtLeast(threshold, in: detectedCardScores)
        let outcome = AlertOutcome(
            counts: counts, days: days,
            fraudAmountCaught: amountsKnown ? Money(units: fraudUnitsAbove[alerts]) : nil,
            fraudAmountTotal: amountsKnown ? Money(units: fraudUnitsAbove[count]) : nil,
            cardPrecisionAtK: cardPrecisionDays > 0 ? Double(detected) / Double(k * cardPrecisionDays) : nil)
        return ThresholdRow(threshold: threshold, outcome: outcome)
    }

    /// Rows at each threshold, in the order given.
    public func rows(at thresholds: [Double]) -> [ThresholdRow] { thresholds.map(row(at:)) }

    /// The highest score, or nil without transactions.
    public var maximumScore: Double? { sortedScores.first }
}
