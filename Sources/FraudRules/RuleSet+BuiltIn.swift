extension RuleSet {
    /// The rules used when no rules file is given: score thresholds only
    /// (review ≥ 0.5, alert ≥ 0.7, block ≥ 0.9), no lists, no explicit rules.
    public static let builtIn: RuleSet = {
        do {
            return try RuleSet(
                yaml: """
                    version: "builtin-1"
                    description: "Built-in score thresholds (no rules file given)."
                    thresholds: {review: 0.5, alert: 0.7, block: 0.9}
                    """,
                fileName: "<built-in rules>")
        } catch {
            preconditionFailure("the built-in rules do not load: \(error)")
        }
    }()
}
