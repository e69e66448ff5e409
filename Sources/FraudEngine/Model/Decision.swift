/// One reason behind a score: a named feature (or anomaly signal) and how much it pushed
/// the score, in words a risk analyst understands (`amount_vs_card_mean_30d`).
public struct ReasonCode: Hashable, Sendable {
    /// Stable snake_case code, e.g. `terminal_fraud_rate_28d`.
    public var code: String
    /// Signed contribution to the model's log-odds (or to the anomaly component).
    /// Positive pushes towards fraud.
    public var contribution: Double

    /// Creates a reason code.
    public init(code: String, contribution: Double) {
        self.code = code
        self.contribution = contribution
    }
}

/// The engine's verdict on one transaction: the fused score, its components and reasons.
///
/// Actions (alert, review, block) are decided later by rules from `score`; the engine only
/// says how risky a transaction is and why.
public struct Decision: Hashable, Sendable {
    /// The transaction scored.
    public var transactionID: String
    /// Its card.
    public var cardID: String
    /// Event time of the transaction.
    public var eventTime: EpochMillis
    /// Fused risk score in [0, 1].
    public var score: Double
    /// Online logistic regression probability of fraud in [0, 1].
    public var modelProbability: Double
    /// Anomaly evidence in [0, 1] (Half-Space Trees and per-card deviation combined).
    public var anomaly: Double
    /// Largest contributions first; at most the engine's configured number.
    public var reasons: [ReasonCode]
    /// Number of events (transactions and labels) the engine had processed before this one:
    /// identifies the engine state that produced the decision, for audits.
    public var stateVersion: UInt64

    /// Creates a decision.
    public init(
        transactionID: String, cardID: String, eventTime: EpochMillis, score: Double,
        modelProbability: Double, anomaly: Double, reasons: [ReasonCode], stateVersion: UInt64
    ) {
        self.transactionID = transactionID
        self.cardID = cardID
        self.eventTime = eventTime
        self.score = score
        self.modelProbability = modelProbability
        self.anomaly = anomaly
        self.reasons = reasons
        self.stateVersion = stateVersion
    }
}
