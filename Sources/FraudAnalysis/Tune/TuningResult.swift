import FraudEngine

/// Everything `fraudstream tune` found: the inputs, the threshold table and recommendation
/// for all decisions and, with a dimension, for each segment.
public struct TuningResult: Hashable, Sendable {
    /// The decision log's source.
    public var source: String
    /// Decisions analysed (one per transaction).
    public var decisions: Int
    /// Duplicate records dropped (see ``DecisionLog``).
    public var duplicatesDropped: Int
    /// Labels read.
    public var labelsRead: Int
    /// Frauds among the decisions.
    public var frauds: Int
    /// The event-time span (alerts per day = alerts / its days).
    public var span: EventDaySpan
    /// What was asked.
    public var options: TuningOptions
    /// All decisions.
    public var overall: SegmentTuning
    /// One per value of ``TuningOptions/dimension``, most transactions first.
    public var segments: [SegmentTuning]
    /// The segments' recommended thresholds applied together (nil without segments or
    /// recommendations).
    public var combined: AlertOutcome?
    /// Why fraud amounts are missing or not comparable, when they are.
    public var amountNote: String?
    /// Why the segments say little, when no decision has a value of the dimension.
    public var dimensionNote: String?

    /// The recommended threshold per segment value (for writing rules), in segment order.
    public var segmentThresholds: [(value: String, threshold: Double)] {
        segments.compactMap { segment in segment.recommendation.map { (segment.value ?? SegmentDimension.noValue, $0.threshold) } }
    }
}
