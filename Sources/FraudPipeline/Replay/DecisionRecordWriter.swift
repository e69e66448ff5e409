import FraudEngine
import FraudRules

/// Encodes a replay's decision records away from the engine's thread: the run, model
/// version and encoder of a ``ReplayCore``, as a value another thread can own.
public struct DecisionRecordWriter: Sendable {
    let encoder = DecisionRecordEncoder()
    let modelVersion: ModelVersion
    let run: String

    /// The writer of `core`'s records.
    public init(of core: ReplayCore) {
        modelVersion = core.modelVersion
        run = core.run
    }

    /// Appends the record of one decision (no newline) to `out`.
    public func encode(_ decided: ScoredTransaction, processedAt: Int64, into out: inout [UInt8]) {
        encoder.encode(
            decision: decided.decision, transaction: decided.transaction, verdict: decided.verdict,
            modelVersion: modelVersion, run: run, source: decided.position, labelsBefore: decided.labelsBefore,
            processedAt: processedAt, into: &out)
    }
}

/// A scored transaction with what its record needs.
public struct ScoredTransaction: Sendable {
    public var transaction: Transaction
    public var position: InputPosition
    public var decision: Decision
    public var verdict: RuleOutcome
    public var labelsBefore: [InputPosition]
}
