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

extension DecisionRecordWriter {
    /// Appends the record (no newline) of `batch`'s transaction `index` to `out`, when the
    /// engine decided it; returns false (nothing appended) when it refused it.
    public func encode(_ batch: HistoryBatch, transaction index: Int, processedAt: Int64, into out: inout [UInt8]) -> Bool {
        guard case .decided(let decision, let reasons, let labelsBefore) = batch.results[index],
              let verdict = batch.verdicts[index]
        else { return false }
        encoder.encode(
            decision: decision, transaction: batch.transactions[index], verdict: verdict, modelVersion: modelVersion,
            run: run, source: batch.positions[index], labelsBefore: labelsBefore, processedAt: processedAt,
            reasons: batch.reasons[reasons], into: &out)
        return true
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
