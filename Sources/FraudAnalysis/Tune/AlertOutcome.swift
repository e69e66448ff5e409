import FraudEngine
import FraudEvaluation

/// What a set of alerts achieves against the truth: counts, alerts per day, precision,
/// recall, fraud amount caught and (in tune) card precision@k.
public struct AlertOutcome: Hashable, Sendable {
    /// Alerts against the truth (an alert is a flagged transaction).
    public var counts: ConfusionCounts
    /// Days the decisions span (``EventDaySpan/days``), the denominator of ``alertsPerDay``.
    public var days: Int
    /// Sum of the amounts of the frauds alerted; nil when some fraud's amount is unknown.
    public var fraudAmountCaught: Money?
    /// Sum of the amounts of all frauds; nil when some fraud's amount is unknown.
    public var fraudAmountTotal: Money?
    /// Card precision@k restricted to flagged cards (see ``ThresholdSweep``); nil when not computed.
    public var cardPrecisionAtK: Double?

    /// Creates an outcome.
    public init(
        counts: ConfusionCounts, days: Int, fraudAmountCaught: Money? = nil, fraudAmountTotal: Money? = nil,
        cardPrecisionAtK: Double? = nil
    ) {
        self.counts = counts
        self.days = days
        self.fraudAmountCaught = fraudAmountCaught
        self.fraudAmountTotal = fraudAmountTotal
        self.cardPrecisionAtK = cardPrecisionAtK
    }

    /// Alerts raised.
    public var alerts: Int { counts.alerts }
    /// Alerts divided by the days spanned.
    public var alertsPerDay: Double { days > 0 ? Double(counts.alerts) / Double(days) : 0 }
    /// Share of alerts that are frauds; nil without alerts.
    public var precision: Double? { counts.precision }
    /// Share of frauds alerted; nil without frauds.
    public var recall: Double? { counts.recall }
    /// Share of the fraud amount alerted; nil when unknown or there is no fraud amount.
    public var amountRecall: Double? {
        guard let caught = fraudAmountCaught, let total = fraudAmountTotal, total.units > 0 else { return nil }
        return Double(caught.units) / Double(total.units)
    }
}
