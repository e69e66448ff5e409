/// One action's score threshold as written in a rules file.
public enum ThresholdSetting: Hashable, Sendable {
    /// The action applies when the score is **at or above** this value (`score >= value`),
    /// a number in [0, 1].
    case atLeast(Double)
    /// Written `off`: the action never applies from the score. In a segment this overrides
    /// the top-level threshold instead of inheriting it.
    case off

    /// The threshold value, nil for `off`.
    public var value: Double? {
        if case .atLeast(let value) = self { return value }
        return nil
    }
}

/// Score thresholds per action, as written under `thresholds:` (top level or in a segment).
///
/// A missing action (`nil`) has no threshold at the top level; in a segment it inherits the
/// top-level one. Effective thresholds must not decrease: review ≤ alert ≤ block (equal is
/// allowed; the stronger action then wins). A score reaching several thresholds gets the
/// strongest action only.
public struct ScoreThresholds: Hashable, Sendable {
    /// Score at or above which the action is review.
    public var review: ThresholdSetting?
    /// Score at or above which the action is alert.
    public var alert: ThresholdSetting?
    /// Score at or above which the action is block.
    public var block: ThresholdSetting?

    /// Creates thresholds; numbers become ``ThresholdSetting/atLeast(_:)``.
    public init(review: Double? = nil, alert: Double? = nil, block: Double? = nil) {
        self.review = review.map(ThresholdSetting.atLeast)
        self.alert = alert.map(ThresholdSetting.atLeast)
        self.block = block.map(ThresholdSetting.atLeast)
    }

    /// Creates thresholds from settings (to write `off`).
    public init(review: ThresholdSetting?, alert: ThresholdSetting?, block: ThresholdSetting?) {
        self.review = review
        self.alert = alert
        self.block = block
    }

    /// The setting of one action.
    public subscript(action: RuleAction) -> ThresholdSetting? {
        get {
            switch action {
            case .review: review
            case .alert: alert
            case .block: block
            }
        }
        set {
            switch action {
            case .review: review = newValue
            case .alert: alert = newValue
            case .block: block = newValue
            }
        }
    }

    /// True when no action is set.
    public var isEmpty: Bool { review == nil && alert == nil && block == nil }

    /// These thresholds with every unset action taken from `defaults`.
    public func inheriting(_ defaults: ScoreThresholds) -> ScoreThresholds {
        ScoreThresholds(review: review ?? defaults.review, alert: alert ?? defaults.alert, block: block ?? defaults.block)
    }
}
