/// Conditions on a transaction and its decision. Every condition given must hold; a list
/// condition (`channel`, `country`, `mcc`, `currency`, `reasonCode`) holds when the value is
/// any of its items. A transaction without a channel, country or mcc never matches a
/// condition on it.
///
/// A segment's `match` may use only the transaction conditions (channel, country, mcc,
/// currency, amount): segments choose thresholds for the score, so they cannot depend on it.
/// A rule's `when` may use all of them.
public struct RuleConditions: Hashable, Sendable {
    /// Payment channels (`card_present`, `ecommerce`, `atm`, …).
    public var channel: [String]?
    /// ISO 3166-1 alpha-2 merchant countries, uppercase.
    public var country: [String]?
    /// Merchant category codes or ranges.
    public var mcc: [MCCRange]?
    /// ISO 4217 currencies.
    public var currency: [String]?
    /// Inclusive amount range.
    public var amount: AmountRange?
    /// Fused risk score at or above this.
    public var scoreAtLeast: Double?
    /// Model (logistic regression) probability at or above this.
    public var modelProbabilityAtLeast: Double?
    /// Anomaly component at or above this.
    public var anomalyAtLeast: Double?
    /// One of these reason codes among the decision's top reasons.
    public var reasonCode: [String]?
    /// The card is in the named list.
    public var cardIn: String?
    /// The card is not in the named list.
    public var cardNotIn: String?
    /// The merchant is in the named list.
    public var merchantIn: String?
    /// The merchant is not in the named list.
    public var merchantNotIn: String?

    /// Creates conditions.
    public init(
        channel: [String]? = nil, country: [String]? = nil, mcc: [MCCRange]? = nil, currency: [String]? = nil,
        amount: AmountRange? = nil, scoreAtLeast: Double? = nil, modelProbabilityAtLeast: Double? = nil,
        anomalyAtLeast: Double? = nil, reasonCode: [String]? = nil, cardIn: String? = nil, cardNotIn: String? = nil,
        merchantIn: String? = nil, merchantNotIn: String? = nil
    ) {
        self.channel = channel
        self.country = country
        self.mcc = mcc
        self.currency = currency
        self.amount = amount
        self.scoreAtLeast = scoreAtLeast
        self.modelProbabilityAtLeast = modelProbabilityAtLeast
        self.anomalyAtLeast = anomalyAtLeast
        self.reasonCode = reasonCode
        self.cardIn = cardIn
        self.cardNotIn = cardNotIn
        self.merchantIn = merchantIn
        self.merchantNotIn = merchantNotIn
    }

    /// Names of the lists these conditions refer to, in a fixed order.
    public var referencedLists: [String] { [cardIn, cardNotIn, merchantIn, merchantNotIn].compactMap { $0 } }
}
