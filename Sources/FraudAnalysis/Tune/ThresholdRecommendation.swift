/// The threshold recommended for a set of decisions (overall or one segment), and why.
public struct ThresholdRecommendation: Hashable, Sendable {
    /// The recommended threshold with its outcome.
    public var row: ThresholdRow
    /// Why this threshold, in a sentence for a risk analyst.
    public var reason: String

    /// Creates a recommendation.
    public init(row: ThresholdRow, reason: String) {
        self.row = row
        self.reason = reason
    }

    /// The threshold.
    public var threshold: Double { row.threshold }
}
