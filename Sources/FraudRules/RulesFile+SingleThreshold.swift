extension RulesFile {
    /// A what-if variant: every score threshold replaced by one — alert at or above
    /// `threshold`, no score-based review or block, at the top level and in every segment.
    /// Explicit rules and lists are unchanged. The version becomes
    /// `<version>+alert-at-<threshold>` so its outcomes are never mistaken for the original's.
    public func withSingleAlertThreshold(_ threshold: Double) -> RulesFile {
        var file = self
        file.version = version + "+alert-at-" + String(threshold)
        file.thresholds = ScoreThresholds(review: nil, alert: .atLeast(threshold), block: nil)
        for i in file.segments.indices {
            file.segments[i].thresholds = ScoreThresholds(review: .off, alert: nil, block: .off)
        }
        return file
    }
}
