import FraudEngine

/// One event of a replayed history, with where it was read.
public enum HistoryEvent: Sendable {
    /// A transaction to score.
    case transaction(Transaction, InputPosition)
    /// A label to learn from.
    case label(Label, InputPosition)
    /// Input that did not decode: never reaches the engine (as in the live processor, where
    /// it is a dead letter), but is counted and reported.
    case rejected(InputPosition, reason: String)
}
