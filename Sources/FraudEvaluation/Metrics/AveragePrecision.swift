/// Average precision, as scikit-learn's `average_precision_score` defines it:
/// `AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ`, where `Pₙ` and `Rₙ` are the precision and recall when
/// alerting on every score ≥ the n-th distinct score, from the highest down.
///
/// It is the area under the precision–recall step curve, without interpolation. Tied
/// scores form one threshold: they enter the alert set together.
public enum AveragePrecision {
    /// Average precision of `scores` against `labels` (`true` = fraud).
    ///
    /// - Returns: nil when the inputs differ in length or there is no fraud (recall is
    ///   undefined then).
    /// - Complexity: O(n log n).
    public static func compute(scores: [Double], labels: [Bool]) -> Double? {
        guard scores.count == labels.count, !scores.isEmpty else { return nil }
        let totalPositives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard totalPositives > 0 else { return nil }
        var order = Array(0..<scores.count)
        order.sort { scores[$0] > scores[$1] }
        var truePositives = 0
        var alerted = 0
        var previousRecall = 0.0
        var sum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count && scores[order[end]] == scores[order[start]] {
                if labels[order[end]] { truePositives += 1 }
                end += 1
            }
            alerted = end
            let recall = Double(truePositives) / Double(totalPositives)
            let precision = Double(truePositives) / Double(alerted)
            sum += (recall - previousRecall) * precision
            previousRecall = recall
            start = end
        }
        return sum
    }
}
