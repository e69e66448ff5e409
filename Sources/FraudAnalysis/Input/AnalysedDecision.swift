import FraudEngine
import FraudRules

/// One decision from a decision log, reduced to what the analyses need.
///
/// Read from either format (see ``DecisionLineDecoder``): the live processor's and
/// `fraudstream replay`'s decision records (`schemas/decision.schema.json`), or
/// `fraudstream evaluate --decisions-out` lines.
public struct AnalysedDecision: Hashable, Sendable {
    /// The scored transaction.
    public var transactionID: String
    /// Its card.
    public var cardID: String
    /// Its event time.
    public var eventTime: EpochMillis
    /// Fused risk score in [0, 1].
    public var score: Double
    /// The action taken (`action` of a decision record; `alert` for an evaluate line with
    /// `"alert": true`), nil when none was.
    public var action: RuleAction?
    /// The transaction's amount, exact, when known.
    public var amount: Money?
    /// Its ISO 4217 currency, when known.
    public var currency: String?
    /// Its channel, when known.
    public var channel: String?
    /// Its merchant country, when known.
    public var country: String?
    /// `is_fraud` of an evaluate line, when present (the labels file is the truth the
    /// analyses use; this is kept for callers that have nothing else).
    public var isFraud: Bool?

    /// Creates a record.
    public init(
        transactionID: String, cardID: String, eventTime: EpochMillis, score: Double, action: RuleAction? = nil,
        amount: Money? = nil, currency: String? = nil, channel: String? = nil, country: String? = nil,
        isFraud: Bool? = nil
    ) {
        self.transactionID = transactionID
        self.cardID = cardID
        self.eventTime = eventTime
        self.score = score
        self.action = action
        self.amount = amount
        self.currency = currency
        self.channel = channel
        self.country = country
        self.isFraud = isFraud
    }
}
