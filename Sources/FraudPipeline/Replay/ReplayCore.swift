import FraudEngine
import FraudRules

/// Drives an ``Engine`` over a history exactly as the live processor's scoring does
/// (labels learned, transactions scored, rules applied) and writes decision records in the
/// live format, `labels_before` included, so that replays, audits and what-if runs compare
/// record for record with what the live system wrote.
///
/// Single-threaded and not `Sendable`: one owner drives it.
public final class ReplayCore {
    /// What one event did.
    public enum Outcome {
        /// A label applied.
        case learned(LabelOutcome)
        /// A transaction scored: the engine's decision and the rules' verdict.
        case decided(Decision, RuleOutcome)
        /// The engine refused the transaction (too late, too far in the future, bad amount).
        case refused(EngineError)
        /// The input did not decode.
        case rejected(String)
    }

    /// The engine (restored from a checkpoint, or fresh).
    public let engine: Engine
    /// The rules that decide actions.
    public var rules: RuleSet {
        get { rulesBox.rules }
        set { rulesBox = RulesBox(newValue) }
    }
    /// The rules and what is known of them, shared read-only with ``ParallelReplay``'s
    /// reading thread, which evaluates them there.
    private(set) var rulesBox: RulesBox
    /// The `run` written into the records.
    public let run: String
    /// The `model_version` prefix of the engine's configuration.
    public let modelVersion: ModelVersion
    /// Whether decisions are encoded into ``record``.
    public var writesRecords: Bool
    // `@exclusivity(unchecked)` on hot mutable state: single owner, no reentrant access; the
    // dynamic checks were a measured hot-path cost (see Engine).
    /// The record of the last decision (no newline), when ``writesRecords``.
    @exclusivity(unchecked) public private(set) var record: [UInt8] = []
    /// Without ``writesRecords``: the labels applied before the last decision (its record's
    /// `labels_before`, for a ``DecisionRecordWriter`` elsewhere).
    @exclusivity(unchecked) public private(set) var labelsBeforeLastDecision: [InputPosition] = []
    /// Counters so far.
    @exclusivity(unchecked) public private(set) var statistics = ReplayStatistics()
    @exclusivity(unchecked) private var labelsBefore: [InputPosition] = []
    private let encoder = DecisionRecordEncoder()

    /// A core over `engine` with `rules`, writing `run` into its records.
    /// - Parameter labelsAlreadyApplied: labels `engine` already holds that the next
    ///   decision's `labels_before` must still list (an audit starting from a checkpoint
    ///   written between them and that decision).
    public init(
        engine: Engine, rules: RuleSet, run: String, writesRecords: Bool = true,
        labelsAlreadyApplied: [InputPosition] = []
    ) {
        self.engine = engine
        self.writesRecords = writesRecords
        labelsBefore = labelsAlreadyApplied
        rulesBox = RulesBox(rules)
        self.run = run
        modelVersion = ModelVersion(configuration: engine.configuration)
    }

    /// Applies `event`; a decision's record is then in ``record`` (when ``writesRecords``).
    /// - Parameter keys: a transaction's ``FraudEngine/TransactionKeys`` if already computed.
    @discardableResult
    public func apply(_ event: HistoryEvent, keys: TransactionKeys? = nil, processedAt: Int64) -> Outcome {
        switch event {
        case .label(let label, let position):
            return learn(label, at: position)
        case .rejected(_, let reason):
            return reject(reason: reason)
        case .transaction(let transaction, let position):
            return decide(
                transaction, keys: keys ?? TransactionKeys(transaction), position: position, processedAt: processedAt)
        }
    }

    /// Learns from `label`, read at `position`.
    @discardableResult
    public func learn(_ label: Label, at position: InputPosition) -> Outcome {
        let outcome = engine.learn(label)
        labelsBefore.append(position)
        statistics.labelsApplied += 1
        return .learned(outcome)
    }

    /// Counts input that did not decode.
    @discardableResult
    public func reject(reason: String) -> Outcome {
        statistics.rejected[reason, default: 0] += 1
        return .rejected(reason)
    }

    /// Scores `transaction` (read at `position`, its entity keys `keys`) and applies the
    /// rules; its record is then in ``record`` (when ``writesRecords``).
    public func decide(
        _ transaction: Transaction, keys: TransactionKeys, position: InputPosition, processedAt: Int64
    ) -> Outcome {
        let decision: Decision
        do {
            decision = try engine.score(transaction, keys: keys)
        } catch {
            return refuse(error)
        }
        return conclude(decision, transaction: transaction, position: position, processedAt: processedAt)
    }

    /// For a replay whose rules run on another thread (``ParallelReplay``): scores
    /// `transaction` as ``decide(_:keys:position:processedAt:)`` does, with the reasons
    /// appended to `reasons` instead of kept in the decision (see
    /// ``FraudEngine/Engine/score(_:keys:appendingReasonsTo:)``), and without the rules;
    /// ``countActions(_:)`` adds their verdicts to the statistics afterwards. For a core that
    /// does not write records (``writesRecords`` false).
    public func score(
        _ transaction: Transaction, keys: TransactionKeys, appendingReasonsTo reasons: inout [ReasonCode]
    ) -> Result<Decision, EngineError> {
        precondition(!writesRecords, "a record needs the rules' verdict")
        do {
            let decision = try engine.score(transaction, keys: keys, appendingReasonsTo: &reasons)
            statistics.transactionsScored += 1
            handOverLabels()
            return .success(decision)
        } catch {
            _ = refuse(error)
            return .failure(error)
        }
    }

    /// Adds actions the rules took elsewhere (see ``score(_:keys:appendingReasonsTo:)``).
    public func countActions(_ actions: [RuleAction: Int]) {
        for (action, count) in actions { statistics.actions[action, default: 0] += count }
    }

    private func refuse(_ error: EngineError) -> Outcome {
        statistics.rejected[error.reasonCode, default: 0] += 1
        return .refused(error)
    }

    /// Applies the rules to a decision, counts it, and writes its record or keeps its labels.
    private func conclude(
        _ decision: Decision, transaction: Transaction, position: InputPosition, processedAt: Int64
    ) -> Outcome {
        let verdict = rulesBox.evaluate(transaction: transaction, decision: decision)
        statistics.transactionsScored += 1
        if let action = verdict.action { statistics.actions[action, default: 0] += 1 }
        if writesRecords {
            record.removeAll(keepingCapacity: true)
            encoder.encode(
                decision: decision, transaction: transaction, verdict: verdict, modelVersion: modelVersion,
                run: run, source: position, labelsBefore: labelsBefore, processedAt: processedAt,
                into: &record)
            labelsBefore.removeAll(keepingCapacity: true)
        } else {
            handOverLabels()
        }
        return .decided(decision, verdict)
    }

    /// Without records: the labels applied so far become the last decision's `labels_before`.
    private func handOverLabels() {
        labelsBeforeLastDecision = labelsBefore
        labelsBefore = []
    }
}

/// Holds the rules as a constant of a class, so that evaluating them borrows the rule set
/// instead of copying it (with a retain and a release of each of its parts) per transaction.
final class RulesBox: Sendable {
    let rules: RuleSet
    /// ``FraudRules/RuleSet/readsReasons``, computed once.
    let readsReasons: Bool
    init(_ rules: RuleSet) {
        self.rules = rules
        readsReasons = rules.readsReasons
    }

    /// The rules' verdict, evaluated on the box's own constant: a caller's
    /// `box.rules.evaluate(…)` copied the rule set (a retain and a release of each part, per
    /// transaction, seen in perf).
    func evaluate(transaction: Transaction, decision: Decision) -> RuleOutcome {
        rules.evaluate(transaction: transaction, decision: decision)
    }
}

/// Counters of a replay.
public struct ReplayStatistics: Sendable, Equatable {
    /// Transactions scored.
    public var transactionsScored = 0
    /// Labels applied.
    public var labelsApplied = 0
    /// Decisions with an action, by action.
    public var actions: [RuleAction: Int] = [:]
    /// Input not decoded or refused by the engine, by reason code.
    public var rejected: [String: Int] = [:]

    /// Creates empty counters.
    public init() {}
}
