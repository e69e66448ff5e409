import FraudEngine

/// One simulated transaction with the simulator's truth about it.
public struct SimulatedTransaction: Hashable, Sendable {
    /// The transaction as a payment system would send it.
    public var transaction: Transaction
    /// Global sequence number, from 0, in event-time order (`tx-<index>` zero-padded to 10 digits).
    public var index: Int
    /// Simulated day, from 0.
    public var day: Int
    /// Customer (card) number.
    public var customer: Int
    /// Terminal number.
    public var terminal: Int
    /// Which fraud scenario made it fraudulent, or `.none`.
    public var scenario: FraudScenario
    /// When its fraud report arrives (frauds only).
    public var reportedAt: EpochMillis?

    /// Creates a simulated transaction.
    public init(
        transaction: Transaction, index: Int, day: Int, customer: Int, terminal: Int, scenario: FraudScenario,
        reportedAt: EpochMillis?
    ) {
        self.transaction = transaction
        self.index = index
        self.day = day
        self.customer = customer
        self.terminal = terminal
        self.scenario = scenario
        self.reportedAt = reportedAt
    }

    /// Whether it is a fraud.
    public var isFraud: Bool { scenario != .none }

    /// Its fraud report (`is_fraud: true`, with the card), for frauds only.
    public var fraudReport: Label? {
        guard let reportedAt else { return nil }
        return Label(transactionID: transaction.transactionID, isFraud: true, cardID: transaction.cardID, reportedAt: reportedAt)
    }
}

/// A terminal or card compromised by the simulator (scenarios 2 and 3).
public struct SimulatedCompromise: Hashable, Sendable {
    /// What was compromised.
    public enum Kind: String, Hashable, Sendable {
        /// A terminal (scenario 2): all its transactions are fraud.
        case terminal
        /// A card (scenario 3): a share of its transactions are fraud, amounts multiplied.
        case card
    }

    /// What was compromised.
    public var kind: Kind
    /// `terminal-<n>` or `card-<n>`.
    public var entityID: String
    /// Start of the compromise (the start of the day it was drawn), epoch ms.
    public var from: EpochMillis
    /// End of the compromise, exclusive, epoch ms.
    public var until: EpochMillis
}

/// One simulated day: its transactions in event-time order and the compromises drawn that day.
public struct SimulatedDay: Sendable {
    /// Day number, from 0.
    public var day: Int
    /// Start of the day, epoch ms.
    public var start: EpochMillis
    /// Transactions by increasing (timestamp, index).
    public var transactions: [SimulatedTransaction]
    /// Compromises that begin this day.
    public var compromises: [SimulatedCompromise]
}

/// An event of the simulated stream, in event-time order.
public enum SimulatedEvent: Hashable, Sendable {
    /// A terminal or card becomes compromised (at the start of a day). Truth only: a
    /// payment system never sees this.
    case compromise(SimulatedCompromise)
    /// A payment.
    case transaction(SimulatedTransaction)
    /// A fraud report arriving at its `reportedAt`.
    case label(Label)

    /// The event time.
    public var time: EpochMillis {
        switch self {
        case .compromise(let c): c.from
        case .transaction(let t): t.transaction.timestamp
        case .label(let l): l.reportedAt
        }
    }
}
