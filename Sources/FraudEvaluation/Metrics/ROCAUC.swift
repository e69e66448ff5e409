/// Area under the ROC curve, computed exactly.
///
/// The value is the Mann–Whitney statistic: the probability that a randomly drawn fraud
/// scores higher than a randomly drawn legitimate transaction, ties counting one half.
/// It equals the trapezoidal area under the ROC curve that joins one point per distinct
/// threshold (scikit-learn's `roc_auc_score`). A NaN score ranks below every other score.
public enum ROCAUC {
    /// ROC AUC of `scores` against `labels` (`true` = fraud).
    ///
    /// - Returns: nil when the inputs differ in length, or when either class is absent
    ///   (the area is undefined then).
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
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        positives.sort()
        negatives.sort()
        // For each run of equal positive scores: negatives strictly below count 1, equal ½.
        var wins = 0.0
        var below = 0  // negatives < current positive score
        var index = 0
        while index < positives.count {
            let value = positives[index]
            var end = index + 1
            while end < positives.count && positives[end] == value { end += 1 }
            while below < negatives.count && negatives[below] < value { below += 1 }
            var equal = below
            while equal < negatives.count && negatives[equal] == value { equal += 1 }
            wins += Double(end - index) * (Double(below) + 0.5 * Double(equal - below))
            index = end
        }
        return wins / (Double(positives.count) * Double(negatives.count))
    }
}
