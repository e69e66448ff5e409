/// Why the engine refused a transaction. The live processor routes these to dead letters.
///
/// Event-time policy (see ``EngineConfiguration``): the engine clock is the largest event
/// time seen (transaction timestamps and label report times). A transaction older than the
/// clock by more than `allowedLatenessMillis` is ``tooLate(latenessMillis:allowedMillis:)``;
/// one newer than the clock by more than `maxForwardJumpMillis` (after the first event) is
/// ``tooFarInFuture(leadMillis:allowedMillis:)``, so one corrupt timestamp cannot move the
/// clock years ahead and make every following transaction "late". After a longer planned
/// downtime the operator calls ``Engine/advanceClock(to:)`` first.
public enum EngineError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The transaction is older than the clock by more than the allowed lateness.
    case tooLate(latenessMillis: Int64, allowedMillis: Int64)
    /// The transaction is ahead of the clock by more than the allowed forward jump.
    case tooFarInFuture(leadMillis: Int64, allowedMillis: Int64)
    /// The amount is zero or negative (the decoder rejects these; a hand-built transaction may not).
    case nonPositiveAmount(Money)

    /// Stable snake_case reason for dead-letter headers and metrics.
    public var reasonCode: String {
        switch self {
        case .tooLate: "too_late"
        case .tooFarInFuture: "too_far_in_future"
        case .nonPositiveAmount: "non_positive_amount"
        }
    }

    public var description: String {
        switch self {
        case .tooLate(let lateness, let allowed):
            "transaction is \(lateness) ms behind the engine clock (allowed lateness \(allowed) ms)"
        case .tooFarInFuture(let lead, let allowed):
            "transaction is \(lead) ms ahead of the engine clock (allowed forward jump \(allowed) ms)"
        case .nonPositiveAmount(let amount):
            "amount must be > 0, found \(amount)"
        }
    }
}
