/// The topics the processor reads and writes.
public struct PipelineTopics: Sendable, Hashable {
    /// Transactions in (JSON per `schemas/transaction.schema.json`).
    public var transactions: String
    /// Labels in (JSON per `schemas/label.schema.json`).
    public var labels: String
    /// Alerts out (JSON per `schemas/alert.schema.json`), keyed by card.
    public var alerts: String
    /// Decision records out (see ``DecisionRecordEncoder``), keyed by card.
    public var decisions: String
    /// Rejected input out: original key and bytes, `fraudstream.error.*` and `fraudstream.source.*` headers.
    public var deadLetter: String

    /// Creates the topic set; the defaults are `transactions`, `labels`, `alerts`, `decisions`, `dead-letter`.
    public init(
        transactions: String = "transactions", labels: String = "labels", alerts: String = "alerts",
        decisions: String = "decisions", deadLetter: String = "dead-letter"
    ) {
        self.transactions = transactions
        self.labels = labels
        self.alerts = alerts
        self.decisions = decisions
        self.deadLetter = deadLetter
    }
}
