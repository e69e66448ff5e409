import FraudEngine

/// Everything a prequential run measured.
public struct PrequentialReport: Sendable {
    /// Transactions decoded from the input.
    public var transactionsRead = 0
    /// Transactions the scorer scored.
    public var transactionsScored = 0
    /// Transactions the scorer refused, by `EngineError.reasonCode`.
    public var transactionsRejected: [String: Int] = [:]
    /// Input lines skipped because they did not decode (`skipInvalid`).
    public var invalidTransactionLines = 0
    /// Label lines skipped because they did not decode (`skipInvalid`).
    public var invalidLabelLines = 0
    /// Labels read.
    public var labelsRead = 0
    /// Labels applied before the last transaction (reported_at ≤ its time).
    public var labelsAppliedDuringRun = 0
    /// Labels applied after the last transaction (reported later).
    public var labelsAppliedAfterRun = 0
    /// What the scorer did with the labels, by `LabelOutcome.name`.
    public var labelOutcomes: [String: Int] = [:]

    /// Event time of the first transaction.
    public var firstTransactionTime: EpochMillis?
    /// Event time of the last transaction.
    public var lastTransactionTime: EpochMillis?
    /// Metrics cover transactions at or after this instant.
    public var evaluationStart: EpochMillis?
    /// Transactions measured (scored, after the burn-in).
    public var evaluatedTransactions = 0
    /// Of which frauds (by the labels file).
    public var evaluatedFrauds = 0
    /// Days with measured transactions.
    public var evaluatedDays = 0

    /// ROC AUC of the fused score (nil when a class is missing).
    public var rocAUC: Double?
    /// Average precision of the fused score.
    public var averagePrecision: Double?
    /// ROC AUC of the model probability alone.
    public var modelROCAUC: Double?
    /// ROC AUC of the anomaly score alone.
    public var anomalyROCAUC: Double?
    /// Card precision@k, per day and mean.
    public var cardPrecision: CardPrecisionAtK?
    /// Alerts against the truth at the threshold.
    public var confusion = ConfusionCounts()
    /// The threshold used.
    public var threshold = 0.5

    /// Wall time of the run (reading, decoding, scoring, learning, writing), in seconds.
    /// Measured for throughput only; it never reaches a score.
    public var elapsedSeconds = 0.0

    /// Creates an empty report.
    public init() {}

    /// Transactions read per second of wall time.
    public var transactionsPerSecond: Double {
        elapsedSeconds > 0 ? Double(transactionsRead) / elapsedSeconds : 0
    }

    /// All refused transactions.
    public var rejectedTransactions: Int { transactionsRejected.values.reduce(0, +) }
}
