import FraudEngine

/// Decisions joined with the truth, as parallel arrays (one element per transaction) for
/// the threshold sweeps.
public struct LabelledDecisions: Sendable {
    /// Risk scores.
    public private(set) var scores: [Double] = []
    /// Whether each transaction is a fraud (``FraudLabels``).
    public private(set) var frauds: [Bool] = []
    /// Amounts in 1/10,000 units (``Money/units``), -1 when unknown.
    public private(set) var amountUnits: [Int64] = []
    /// UTC day numbers of the event times.
    public private(set) var days: [Int] = []
    /// Card numbers: card ids interned in order of first appearance.
    public private(set) var cards: [Int] = []
    /// The span of all the decisions' event times (kept by ``subset(_:)``, so that alerts
    /// per day of segments add up).
    public let span: EventDaySpan
    /// Currencies of the frauds' amounts, sorted.
    public private(set) var fraudCurrencies: [String] = []
    /// Frauds whose amount is unknown.
    public private(set) var fraudsWithoutAmount = 0

    /// Joins records with labels.
    ///
    /// - Precondition: `records` is not empty.
    public init(records: [AnalysedDecision], labels: FraudLabels) {
        precondition(!records.isEmpty, "no decisions")
        span = EventDaySpan(records.lazy.map(\.eventTime))!
        var cardNumbers: [String: Int] = [:]
        var currencies = Set<String>()
        scores.reserveCapacity(records.count)
        frauds.reserveCapacity(records.count)
        amountUnits.reserveCapacity(records.count)
        days.reserveCapacity(records.count)
        cards.reserveCapacity(records.count)
        for record in records {
            let fraud = labels.isFraud(record.transactionID)
            scores.append(record.score)
            frauds.append(fraud)
            amountUnits.append(record.amount?.units ?? -1)
            days.append(EventDaySpan.day(of: record.eventTime))
            let next = cardNumbers.count
            cards.append(cardNumbers[record.cardID, default: next])
            if cardNumbers[record.cardID] == nil { cardNumbers[record.cardID] = next }
            if fraud {
                if record.amount == nil { fraudsWithoutAmount += 1 }
                if let currency = record.currency { currencies.insert(currency) }
            }
        }
        fraudCurrencies = currencies.sorted()
    }

    private init(span: EventDaySpan) { self.span = span }

    /// Transactions.
    public var count: Int { scores.count }
    /// Frauds.
    public var fraudCount: Int { frauds.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The elements at `indices`, with the same span and card numbers.
    public func subset(_ indices: [Int]) -> LabelledDecisions {
        var part = LabelledDecisions(span: span)
        part.scores = indices.map { scores[$0] }
        part.frauds = indices.map { frauds[$0] }
        part.amountUnits = indices.map { amountUnits[$0] }
        part.days = indices.map { days[$0] }
        part.cards = indices.map { cards[$0] }
        part.fraudCurrencies = fraudCurrencies
        part.fraudsWithoutAmount = indices.reduce(0) { $0 + (frauds[$1] && amountUnits[$1] < 0 ? 1 : 0) }
        return part
    }
}
