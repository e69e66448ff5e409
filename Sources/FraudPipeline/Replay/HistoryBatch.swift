import FraudEngine
import FraudRules

/// A batch of a history's events on its way through ``ParallelReplay``: filled by the
/// reading thread, scored by the engine's thread, then judged by the rules and read back
/// (records encoded) by the reading thread, and cleared for the next round.
///
/// Events are kept in parallel arrays rather than as ``HistoryEvent`` values so that a
/// transaction is written once, where it was decoded, and read in place by both threads:
/// moving 200-byte events through queues, closures and outcome enums cost the reading
/// thread about a sixth of its time in `memmove`. A batch is reused, so its arrays keep
/// their storage between rounds.
///
/// One thread at a time owns a batch; the queues between the threads hand it over.
public final class HistoryBatch: @unchecked Sendable {
    /// One event, in history order: where its data is.
    public enum Entry: Sendable {
        /// The transaction at this index of ``transactions`` (and ``results``).
        case transaction(Int)
        /// The label at this index of ``labels``.
        case label(Int)
        /// The undecodable input at this index of ``rejections``.
        case rejected(Int)
    }

    /// What the engine made of one transaction.
    public enum Result: Sendable {
        /// Scored: its decision (whose reasons are in ``reasons``, at `reasons`; its verdict
        /// in ``verdicts``), and the labels applied since the previous decision (its
        /// record's `labels_before`).
        case decided(Decision, reasons: Range<Int>, labelsBefore: [InputPosition])
        /// Refused by the engine (too late, too far in the future, bad amount).
        case refused(EngineError)
    }

    // `@exclusivity(unchecked)`: one thread owns the batch at a time and nothing holds an
    // access to these arrays across a call; the dynamic checks are a hot-path cost (see Engine).

    /// The events in history order.
    @exclusivity(unchecked) public private(set) var entries: [Entry] = []
    /// The transactions, in order.
    @exclusivity(unchecked) public private(set) var transactions: [Transaction] = []
    /// Their entity keys, hashed by the reading thread.
    @exclusivity(unchecked) public private(set) var keys: [TransactionKeys] = []
    /// Where each transaction was read (the engine's thread never touches these: the
    /// topic string's reference count would bounce between the cores).
    @exclusivity(unchecked) public private(set) var positions: [InputPosition] = []
    /// The labels, in order, and where each was read.
    @exclusivity(unchecked) public private(set) var labels: [(label: Label, position: InputPosition)] = []
    /// Undecodable input: where, and why.
    @exclusivity(unchecked) public private(set) var rejections: [(position: InputPosition, reason: String)] = []
    /// The engine's result for each transaction (same index), once the batch was scored.
    @exclusivity(unchecked) public internal(set) var results: [Result] = []
    /// The reasons of every decision, one after the other (see ``Result/decided``): one
    /// reused array instead of one allocated per decision.
    @exclusivity(unchecked) public internal(set) var reasons: [ReasonCode] = []
    /// The rules' verdict on each transaction (same index; nil when the engine refused it),
    /// once ``evaluateRules(_:actions:)`` ran. The rules run on the reading thread, which has
    /// time to spare, not on the engine's, which limits a replay's rate.
    @exclusivity(unchecked) public internal(set) var verdicts: [RuleOutcome?] = []

    /// An empty batch with room for `capacity` events.
    public init(capacity: Int = 0) {
        entries.reserveCapacity(capacity)
        transactions.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        results.reserveCapacity(capacity)
        verdicts.reserveCapacity(capacity)
    }

    /// Number of events.
    public var count: Int { entries.count }

    /// Appends a transaction to score.
    public func append(_ transaction: Transaction, at position: InputPosition) {
        entries.append(.transaction(transactions.count))
        keys.append(TransactionKeys(transaction))
        transactions.append(transaction)
        positions.append(position)
    }

    /// Appends a label to learn from.
    public func append(_ label: Label, at position: InputPosition) {
        entries.append(.label(labels.count))
        labels.append((label, position))
    }

    /// Appends input that did not decode.
    public func appendRejected(at position: InputPosition, reason: String) {
        entries.append(.rejected(rejections.count))
        rejections.append((position, reason))
    }

    /// Appends `event`.
    public func append(_ event: HistoryEvent) {
        switch event {
        case .transaction(let transaction, let position): append(transaction, at: position)
        case .label(let label, let position): append(label, at: position)
        case .rejected(let position, let reason): appendRejected(at: position, reason: reason)
        }
    }

    /// Empties the batch, keeping its storage. The results stay until the batch is next
    /// scored: the engine's thread then drops them, so the memory it allocated for them
    /// (decisions' reasons, verdicts' rule ids) is freed on the thread that allocated it.
    /// glibc hands a block freed by another thread back to its arena on a slow, locked
    /// path, and the allocating thread, finding its cache always empty, takes the slow path
    /// too (perf on the 1.8 M-transaction replay: malloc and free fell from 7.8 % to 4.9 %
    /// of the engine thread's samples).
    public func removeAll() {
        entries.removeAll(keepingCapacity: true)
        transactions.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
        rejections.removeAll(keepingCapacity: true)
    }

    /// Scores the batch with `core` (on the engine's thread): every event in order, one
    /// result per transaction.
    func score(with core: ReplayCore) {
        results.removeAll(keepingCapacity: true)
        reasons.removeAll(keepingCapacity: true)
        let engine = core.engine
        for entry in entries {
            switch entry {
            case .transaction(let i):
                engine.prefetchAhead(of: i, count: keys.count) { keys[$0] }
                let first = reasons.count
                switch core.score(transactions[i], keys: keys[i], appendingReasonsTo: &reasons) {
                case .success(let decision):
                    results.append(
                        .decided(decision, reasons: first..<reasons.count, labelsBefore: core.labelsBeforeLastDecision))
                case .failure(let error):
                    results.append(.refused(error))
                }
            case .label(let i):
                core.learn(labels[i].label, at: labels[i].position)
            case .rejected(let i):
                core.reject(reason: rejections[i].reason)
            }
        }
    }

    /// Judges every scored transaction with `rules` (on the reading thread, after
    /// ``score(with:)``), filling ``verdicts`` and counting the actions into `actions`.
    func evaluateRules(_ rules: RulesBox, actions: inout [RuleAction: Int]) {
        verdicts.removeAll(keepingCapacity: true)
        for i in results.indices {
            guard case .decided(var decision, let range, _) = results[i] else {
                verdicts.append(nil)
                continue
            }
            if rules.readsReasons { decision.reasons = Array(reasons[range]) }
            let verdict = rules.evaluate(transaction: transactions[i], decision: decision)
            if let action = verdict.action { actions[action, default: 0] += 1 }
            verdicts.append(verdict)
        }
    }

    /// Calls `body` with every event's outcome in history order (labels have none):
    /// the convenient form, which copies each transaction once more.
    public func forEachOutcome(_ body: (ParallelReplay.Outcome) throws -> Void) rethrows {
        for entry in entries {
            switch entry {
            case .transaction(let i):
                switch results[i] {
                case .decided(var decision, let range, let labelsBefore):
                    decision.reasons = Array(reasons[range])
                    try body(.decided(ScoredTransaction(
                        transaction: transactions[i], position: positions[i], decision: decision, verdict: verdicts[i]!,
                        labelsBefore: labelsBefore)))
                case .refused(let error):
                    try body(.refused(transactions[i], positions[i], error))
                }
            case .rejected(let i):
                try body(.rejected(rejections[i].position, rejections[i].reason))
            case .label:
                break
            }
        }
    }
}
