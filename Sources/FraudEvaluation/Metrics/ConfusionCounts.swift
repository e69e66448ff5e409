/// Counts of alerts against the truth at one threshold, and the rates derived from them.
///
/// A transaction is alerted when its score is at least the threshold (`score >= threshold`).
public struct ConfusionCounts: Hashable, Sendable {
    /// Frauds alerted.
    public var truePositives: Int
    /// Legitimate transactions alerted.
    public var falsePositives: Int
    /// Legitimate transactions not alerted.
    public var trueNegatives: Int
    /// Frauds not alerted.
    public var falseNegatives: Int

    /// Creates counts.
    public init(truePositives: Int = 0, falsePositives: Int = 0, trueNegatives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Counts alerts (`score >= threshold`) against `labels` (`true` = fraud).
    /// Extra elements of the longer array are ignored.
    public init(scores: [Double], labels: [Bool], threshold: Double) {
        self.init()
        for (score, isFraud) in zip(scores, labels) {
            add(alert: score >= threshold, isFraud: isFraud)
        }
    }

    /// Adds one transaction.
    @inlinable public mutating func add(alert: Bool, isFraud: Bool) {
        switch (alert, isFraud) {
        case (true, true): truePositives += 1
        case (true, false): falsePositives += 1
        case (false, false): trueNegatives += 1
        case (false, true): falseNegatives += 1
        }
    }

    /// All transactions counted.
    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    /// Frauds counted.
    public var positives: Int { truePositives + falseNegatives }
    /// Alerts raised.
    public var alerts: Int { truePositives + falsePositives }

    /// Share of alerts that are frauds; nil when there is no alert.
    public var precision: Double? { alerts == 0 ? nil : Double(truePositives) / Double(alerts) }
    /// Share of frauds alerted; nil when there is no fraud.
    public var recall: Double? { positives == 0 ? nil : Double(truePositives) / Double(positives) }
    /// Share of legitimate transactions alerted; nil when there is none.
    public var falsePositiveRate: Double? {
        let negatives = falsePositives + trueNegatives
        return negatives == 0 ? nil : Double(falsePositives) / Double(negatives)
    }
    /// Harmonic mean of precision and recall; nil when either is undefined or both are 0.
    public var f1: Double? {
        guard let p = precision, let r = recall, p + r > 0 else { return nil }
        return 2 * p * r / (p + r)
    }
}
