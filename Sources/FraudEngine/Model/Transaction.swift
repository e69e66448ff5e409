/// Milliseconds since 1970-01-01T00:00:00Z, in event time.
public typealias EpochMillis = Int64

/// One payment transaction, as described by `schemas/transaction.schema.json`.
///
/// The engine scores each transaction in event time (`timestamp`), never by wall clock.
public struct Transaction: Hashable, Sendable {
    /// Unique id of the transaction; labels refer to it.
    public var transactionID: String
    /// The card (customer) that paid.
    public var cardID: String
    /// The merchant that was paid.
    public var merchantID: String
    /// Exact amount, strictly positive.
    public var amount: Money
    /// ISO 4217 currency of `amount`.
    public var currency: CurrencyCode
    /// Event time of the payment.
    public var timestamp: EpochMillis
    /// Terminal (point of sale) id, when known.
    public var terminalID: String?
    /// ISO 18245 merchant category code, when known.
    public var mcc: Int?
    /// ISO 3166-1 alpha-2 country of the merchant, when known (uppercase).
    public var country: String?
    /// Payment channel such as `card_present`, `ecommerce` or `atm`, when known.
    public var channel: String?
    /// Latitude of the terminal in degrees, when known.
    public var latitude: Double?
    /// Longitude of the terminal in degrees, when known.
    public var longitude: Double?

    /// Creates a transaction. Validation happens in the decoder, not here.
    public init(
        transactionID: String, cardID: String, merchantID: String, amount: Money,
        currency: CurrencyCode, timestamp: EpochMillis, terminalID: String? = nil, mcc: Int? = nil,
        country: String? = nil, channel: String? = nil, latitude: Double? = nil, longitude: Double? = nil
    ) {
        self.transactionID = transactionID
        self.cardID = cardID
        self.merchantID = merchantID
        self.amount = amount
        self.currency = currency
        self.timestamp = timestamp
        self.terminalID = terminalID
        self.mcc = mcc
        self.country = country
        self.channel = channel
        self.latitude = latitude
        self.longitude = longitude
    }
}
