/// Counters describing what the engine has processed (all since creation, carried through
/// checkpoints).
public struct EngineStatistics: Sendable, Equatable, Hashable {
    /// Transactions scored.
    public var transactionsScored: UInt64 = 0
    /// Scored transactions whose timestamp was behind the clock (within the allowed lateness).
    public var lateTransactionsAccepted: UInt64 = 0
    /// Transactions refused as ``EngineError/tooLate(latenessMillis:allowedMillis:)``.
    public var transactionsTooLate: UInt64 = 0
    /// Transactions refused as ``EngineError/tooFarInFuture(leadMillis:allowedMillis:)``.
    public var transactionsTooFarInFuture: UInt64 = 0
    /// Transactions refused for a non-positive amount.
    public var transactionsInvalid: UInt64 = 0
    /// Transactions whose id was already in the pending buffer (the newer one wins).
    public var duplicateTransactionIDs: UInt64 = 0
    /// Labels received, by outcome.
    public var labelsLearnedFraud: UInt64 = 0
    public var labelsLearnedLegitimate: UInt64 = 0
    public var labelsConfirmedLegitimate: UInt64 = 0
    public var labelsCorrected: UInt64 = 0
    public var labelsDuplicate: UInt64 = 0
    public var labelsUnknownTransaction: UInt64 = 0
    /// Labels whose report time was ahead of the clock by more than the allowed forward jump
    /// (applied at the clock, which they did not move).
    public var labelsWithFutureTime: UInt64 = 0
    /// Model updates: negatives presumed or matured, positives, compensations.
    public var negativesLearned: UInt64 = 0
    public var positivesLearned: UInt64 = 0
    /// Pending transactions evicted from the full buffer (oldest first).
    public var pendingEvictions: UInt64 = 0
    /// Pending transactions currently buffered.
    public var pendingCount: Int = 0
    /// Entities currently kept, and evicted (idle ones first, CLOCK order) so far.
    public var activeCards: Int = 0
    public var activeTerminals: Int = 0
    public var activeMerchants: Int = 0
    public var cardEvictions: UInt64 = 0
    public var terminalEvictions: UInt64 = 0
    public var merchantEvictions: UInt64 = 0
    /// The event-time clock (largest accepted event time), nil before the first event.
    public var clock: EpochMillis? = nil
    /// Events applied (transactions scored and labels), i.e. the next decision's state version.
    public var eventsProcessed: UInt64 = 0

    /// Creates zeroed statistics.
    public init() {}

    /// Labels received in total.
    public var labelsTotal: UInt64 {
        labelsLearnedFraud + labelsLearnedLegitimate + labelsConfirmedLegitimate + labelsCorrected
            + labelsDuplicate + labelsUnknownTransaction
    }

    /// Count for one label outcome.
    public func labels(_ outcome: LabelOutcome) -> UInt64 {
        switch outcome {
        case .learnedFraud: labelsLearnedFraud
        case .learnedLegitimate: labelsLearnedLegitimate
        case .confirmedLegitimate: labelsConfirmedLegitimate
        case .corrected: labelsCorrected
        case .duplicate: labelsDuplicate
        case .unknownTransaction: labelsUnknownTransaction
        }
    }
}
