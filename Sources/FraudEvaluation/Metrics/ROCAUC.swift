/// Area under the ROC curve, computed exactly.
///
/// The value is the Mann–Whitney statistic: the probability that a randomly drawn fraud
/// scores higher than a randomly drawn legitimate transaction, ties counting one half.
/// It equals the trapezoidal area under the ROC curve that joins one point per distinct
/// threshold (scikit-learn's `roc_auc_score`).
public enum ROCAUC {
    /// ROC AUC of `scores` against `labels` (`true` = fraud).
    ///
    /// - Returns: nil when the inputs differ in length, or when either class is absent
    ///   (the area is undefined then).
    /// - Complexity: O(n log n).
    public static func compute(scores: [Double], labels: [Bool]) -> Double? {
        guard scores.count == labels.count, !scores.isEmpty else { return nil }
        var order = Array(0..<scores.count)
        order.sort { scores[$0] < scores[$1] }
        // Average ranks (1-based) over runs of equal scores; sum those of the positives.
        var positiveRankSum = 0.0
        var positives = 0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + 1 + end) / 2
            for index in start..<end where labels[order[index]] {
                positiveRankSum += averageRank
                positives += 1
            }
            start = end
        }
        let negatives = scores.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let p = Double(positives)
        let u = positiveRankSum - p * (p + 1) / 2
        return u / (p * Double(negatives))
    }
}
