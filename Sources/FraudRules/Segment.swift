/// A segment of transactions (e.g. ATM withdrawals, large e-commerce payments) with its own
/// score thresholds.
///
/// Segments are tried in file order and the **first** whose `match` holds decides the
/// thresholds; actions its `thresholds` leave unset inherit the top-level thresholds. When
/// no segment matches, the top-level thresholds apply (segment id `default`).
public struct Segment: Hashable, Sendable {
    /// Unique among segments; `default` is reserved. Appears in threshold ids
    /// (`threshold:<id>:<action>`).
    public var id: String
    /// Free text for people.
    public var description: String?
    /// Which transactions belong to the segment (transaction conditions only).
    public var match: RuleConditions
    /// The segment's thresholds.
    public var thresholds: ScoreThresholds

    /// Creates a segment.
    public init(id: String, description: String? = nil, match: RuleConditions, thresholds: ScoreThresholds) {
        self.id = id
        self.description = description
        self.match = match
        self.thresholds = thresholds
    }
}
