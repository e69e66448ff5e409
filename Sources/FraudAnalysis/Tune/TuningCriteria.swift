/// What the recommended threshold must achieve: at most a daily alert budget (the
/// investigators' capacity), at least a precision, or both. The recommendation is the
/// **lowest** threshold that satisfies every criterion given: the one that catches the most
/// fraud within them.
public struct TuningCriteria: Hashable, Sendable {
    /// At most this many alerts per day (> 0).
    public var alertsPerDay: Double?
    /// At least this precision (in (0, 1]).
    public var targetPrecision: Double?

    /// Creates criteria.
    public init(alertsPerDay: Double? = nil, targetPrecision: Double? = nil) {
        self.alertsPerDay = alertsPerDay
        self.targetPrecision = targetPrecision
    }

    /// True when neither criterion is given (a table without a recommendation).
    public var isEmpty: Bool { alertsPerDay == nil && targetPrecision == nil }

    /// Checks the values.
    /// - Throws: ``AnalysisError`` naming the option and the value.
    public func validate() throws(AnalysisError) {
        if let budget = alertsPerDay, !(budget.isFinite && budget > 0) {
            throw AnalysisError("--alerts-per-day must be a number > 0 (the alerts investigators can handle per day), got \(Self.format(budget))")
        }
        if let precision = targetPrecision, !(precision.isFinite && precision > 0 && precision <= 1) {
            throw AnalysisError("--target-precision must be a number in (0, 1], got \(Self.format(precision))")
        }
    }

    /// True when `outcome` satisfies the criteria with `alerts` counted against the budget.
    func accepts(_ outcome: AlertOutcome) -> Bool {
        if let budget = alertsPerDay, outcome.alertsPerDay > budget { return false }
        if let target = targetPrecision {
            guard let precision = outcome.precision, precision >= target else { return false }
        }
        return true
    }

    /// `at most 50 alerts per day and precision >= 0.8`.
    public var description: String {
        var parts: [String] = []
        if let budget = alertsPerDay { parts.append("at most \(Self.format(budget)) alerts per day") }
        if let target = targetPrecision { parts.append("precision >= \(Self.format(target))") }
        return parts.isEmpty ? "none" : parts.joined(separator: " and ")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
