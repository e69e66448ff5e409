/// Average precision, as scikit-learn's `average_precision_score` defines it:
/// `AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ`, where `Pₙ` and `Rₙ` are the precision and recall when
/// alerting on every score ≥ the n-th distinct score, from the highest down.
///
/// It is the area under the precision–recall step curve, without interpolation. Tied
/// scores form one threshold: they enter the alert set together. A NaN score ranks below
/// every other score.
public enum AveragePrecision {
    /// Average precision of `scores` against `labels` (`true` = fraud).
    ///
    /// - Returns: nil when the inputs differ in length or there is no fraud (recall is
    ///   undefined then).
    /// - Complexity: O(n log n): the two classes' scores are sorted separately and merged.
    public static func compute(scores: [Double], labels: [Bool]) -> Double? {
        guard scores.count == labels.count, !scores.isEmpty else { return nil }
        var positives: [Double] = []
        var negatives: [Double] = []
        negatives.reserveCapacity(scores.count)
        for (score, label) in zip(scores, labels) {
            let s = score.isNaN ? -Double.infinity : score
            if label { positives.append(s) } else { negatives.append(s) }
        }
        guard !positives.isEmpty else { return nil }
        positives.sort(by: >)
        negatives.sort(by: >)
        let total = Double(positives.count)
        var p = 0  // positives alerted
        var n = 0  // negatives alerted
        var previousRecall = 0.0
        var sum = 0.0
        while p < positives.count {
            // The next distinct threshold is the highest score not yet alerted.
            let threshold = n < negatives.count ? max(positives[p], negatives[n]) : positives[p]
            while p < positives.count && positives[p] == threshold { p += 1 }
            while n < negatives.count && negatives[n] == threshold { n += 1 }
            let recall = Double(p) / total
            sum += (recall - previousRecall) * Double(p) / Double(p + n)
            previousRecall = recall
        }
        return sum
    }
}
