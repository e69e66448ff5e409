/// The threshold table and recommendation of one set of decisions: all of them, or one
/// segment (`--by channel`: the decisions of one channel).
public struct SegmentTuning: Hashable, Sendable {
    /// The segment's value (e.g. `atm`), ``SegmentDimension/noValue`` for decisions without
    /// one, or nil for all decisions.
    public var value: String?
    /// Transactions in it.
    public var transactions: Int
    /// Frauds among them.
    public var frauds: Int
    /// ROC AUC of the score (``ROCAUC``), whatever the threshold; nil with one class only.
    public var rocAUC: Double?
    /// Average precision of the score (``AveragePrecision``); nil without fraud.
    public var averagePrecision: Double?
    /// The table: rows at the requested thresholds, ascending.
    public var rows: [ThresholdRow]
    /// Rows at every threshold of the fine grid (ascending), for the charts.
    public var curve: [ThresholdRow]
    /// The recommended threshold, nil when no criterion was given or none is met.
    public var recommendation: ThresholdRecommendation?
    /// Why there is no recommendation although criteria were given.
    public var unmet: String?

    /// Creates a segment's tuning.
    public init(
        value: String?, transactions: Int, frauds: Int, rocAUC: Double? = nil, averagePrecision: Double? = nil,
        rows: [ThresholdRow], curve: [ThresholdRow], recommendation: ThresholdRecommendation? = nil, unmet: String? = nil
    ) {
        self.value = value
        self.transactions = transactions
        self.frauds = frauds
        self.rocAUC = rocAUC
        self.averagePrecision = averagePrecision
        self.rows = rows
        self.curve = curve
        self.recommendation = recommendation
        self.unmet = unmet
    }

    /// `all decisions` or the value.
    public var name: String { value ?? "all decisions" }
}
