import FraudEngine

/// The large engine the checkpoint and restart benchmarks measure: one payment on each of
/// `cards` distinct cards (2,000 merchants, 10,000 terminals), so that the pending-label
/// buffer fills too.
enum LargeEngine {
    /// Event time of the first payment; payment `i` comes `i` ms later.
    static let start: EpochMillis = 1_775_001_600_000

    /// Payment `i` on card `card`.
    static func payment(_ i: Int, card: Int) -> Transaction {
        Transaction(
            transactionID: "x\(i)", cardID: "card-\(card)", merchantID: "m\(i % 2_000)",
            amount: Money(units: Int64(100_000 + i % 900_000)), currency: CurrencyCode("EUR")!, timestamp: start + Int64(i),
            terminalID: "t\(i % 10_000)", mcc: 5411, country: "FR", channel: "card_present", latitude: 48.8,
            longitude: 2.3)
    }

    /// An engine with `configuration` that has scored one payment on each of `cards` cards.
    static func build(cards: Int, configuration: EngineConfiguration) throws -> Engine {
        let engine = Engine(configuration: configuration)
        for i in 0..<cards { _ = try engine.score(payment(i, card: i)) }
        return engine
    }
}
