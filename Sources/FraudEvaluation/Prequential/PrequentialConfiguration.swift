import FraudEngine

/// How ``PrequentialRunner`` evaluates.
public struct PrequentialConfiguration: Hashable, Sendable {
    /// Whole UTC days from the start of the first transaction's day during which the scorer
    /// learns but nothing is measured. Default 30: metrics start at midnight UTC 30 days
    /// after the day of the first transaction.
    public var burnInDays: Int = 30
    /// A transaction is an alert when `score >= threshold`. Default 0.5.
    public var threshold: Double = 0.5
    /// k of card precision@k. Default 100.
    public var cardPrecisionK: Int = 100
    /// Card precision@k leaves out cards found fraudulent in an earlier day's top k (the
    /// handbook's later chapters). Default false: the plain version.
    public var excludeKnownCompromisedCards: Bool = false
    /// Skip (and count) transaction or label lines that do not decode, instead of stopping
    /// at the first. Default false.
    public var skipInvalid: Bool = false
    /// Call the progress handler every this many transactions. Default 65,536.
    public var progressInterval: Int = 65_536

    /// The defaults.
    public init(
        burnInDays: Int = 30, threshold: Double = 0.5, cardPrecisionK: Int = 100,
        excludeKnownCompromisedCards: Bool = false, skipInvalid: Bool = false
    ) {
        self.burnInDays = burnInDays
        self.threshold = threshold
        self.cardPrecisionK = cardPrecisionK
        self.excludeKnownCompromisedCards = excludeKnownCompromisedCards
        self.skipInvalid = skipInvalid
    }
}
