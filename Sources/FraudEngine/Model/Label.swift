/// Fraud feedback for one transaction, typically arriving days after it
/// (see `schemas/label.schema.json`).
///
/// Most feeds report only frauds (chargebacks); the engine's label policy decides when an
/// unreported transaction counts as legitimate.
public struct Label: Hashable, Sendable {
    /// The transaction this label is about.
    public var transactionID: String
    /// True for a confirmed fraud, false for an explicit "legitimate" confirmation.
    public var isFraud: Bool
    /// The card of the transaction, when the feed provides it.
    public var cardID: String?
    /// Event time at which the label became known. The engine applies the label when its
    /// event-time clock reaches this instant.
    public var reportedAt: EpochMillis

    /// Creates a label.
    public init(transactionID: String, isFraud: Bool, cardID: String? = nil, reportedAt: EpochMillis) {
        self.transactionID = transactionID
        self.isFraud = isFraud
        self.cardID = cardID
        self.reportedAt = reportedAt
    }
}
