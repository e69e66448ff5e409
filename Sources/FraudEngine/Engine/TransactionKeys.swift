import FraudModels

/// The stable hashes of a transaction's identifiers that the engine keys its state by.
/// ``Engine/score(_:keys:)`` takes them precomputed, so a pipeline can hash on another
/// thread than the engine's; they are a pure function of the transaction.
public struct TransactionKeys: Sendable, Hashable {
    /// The transaction id's key (pending buffer).
    public var transaction: UInt64
    /// The card's key.
    public var card: UInt64
    /// The merchant's key.
    public var merchant: UInt64
    /// The terminal's key (the merchant's unnamed terminal when the transaction has none).
    public var terminal: UInt64
    /// The country's hash (0 without one).
    public var country: UInt64
    /// The channel's hash (``FeatureExtractor/missing`` without one).
    public var channel: UInt64

    /// The keys of `transaction`.
    public init(_ transaction: Transaction) {
        self.transaction = Engine.transactionKey(transaction.transactionID)
        card = Engine.cardKey(transaction.cardID)
        merchant = StableHash.hash64(transaction.merchantID, seed: Engine.merchantSeed)
        if let terminalID = transaction.terminalID {
            terminal = StableHash.hash64(terminalID, seed: Engine.terminalSeed)
        } else {
            terminal = StableHash.combine(merchant, Engine.terminalSeed)  // the merchant's unnamed terminal
        }
        country = transaction.country.map { StableHash.hash64($0, seed: 0x4354_5259) } ?? 0
        channel = transaction.channel.map { StableHash.hash64($0, seed: 0x4348_414E) } ?? FeatureExtractor.missing
    }
}
