/// One row of a threshold table: what alerting on `score >= threshold` achieves.
public struct ThresholdRow: Hashable, Sendable {
    /// The score threshold (flagged = `score >= threshold`).
    public var threshold: Double
    /// Its outcome.
    public var outcome: AlertOutcome

    /// Creates a row.
    public init(threshold: Double, outcome: AlertOutcome) {
        self.threshold = threshold
        self.outcome = outcome
    }
}
