import FraudEngine
import FraudEvaluation
import FraudRules

/// The what-if answer: recorded decisions (what the live system did) against replayed ones
/// (the same period with other rules or thresholds), transaction by transaction.
///
/// An **alert** is a decision with an action (review, alert or block). Transactions are
/// matched by id; duplicates within each log are dropped first (the last record is kept,
/// see ``DecisionLog``). Added, removed and changed alerts and every metric are counted
/// over the matched transactions only, so that both sides are measured on the same
/// payments; transactions in only one log are counted separately. Alerts per day divide by
/// the days the matched transactions span (``EventDaySpan``).
public struct DecisionComparison: Hashable, Sendable {
    /// One side's totals over the matched transactions.
    public struct Side: Hashable, Sendable {
        /// The log's source.
        public var source: String
        /// Records read, duplicates included.
        public var recordsRead: Int
        /// Duplicates dropped.
        public var duplicatesDropped: Int
        /// Alerts (decisions with an action), fraud or not, and their outcome; the counts'
        /// frauds are all zero without labels.
        public var outcome: AlertOutcome
        /// Alerts per action, in ``RuleAction/allCases`` order.
        public var alertsByAction: [Int]
        /// Frauds among the alerts of each action (nil without labels).
        public var fraudsByAction: [Int]?
    }

    /// The recorded decisions.
    public var recorded: Side
    /// The replayed decisions.
    public var replayed: Side
    /// Transactions in both logs.
    public var matched: Int
    /// Transactions only in the recorded log.
    public var onlyRecorded: Int
    /// Transactions only in the replayed log.
    public var onlyReplayed: Int
    /// `transitions[from][to]`: matched transactions whose recorded action is `from` and
    /// replayed action is `to`; index 0 is no action, then review, alert, block.
    public var transitions: [[Int]]
    /// Frauds among each transition's transactions (nil without labels).
    public var fraudTransitions: [[Int]]?
    /// The span of the matched transactions' event times (nil when none matched).
    public var span: EventDaySpan?
    /// Whether labels were given (precision and recall exist only then).
    public var hasLabels: Bool
    /// Why fraud amounts are missing or not comparable, when they are.
    public var amountNote: String?
    /// Some added alerts (no action before, one after), highest replayed score first.
    public var addedExamples: [String]
    /// Some removed alerts, highest recorded score first.
    public var removedExamples: [String]

    /// Index of an optional action in ``transitions``: 0 for none, then review, alert, block.
    public static func index(of action: RuleAction?) -> Int { action?.severity ?? 0 }

    /// Alerts that appear: no action recorded, one replayed.
    public var added: Int { transitions[0][1...].reduce(0, +) }
    /// Alerts that disappear: an action recorded, none replayed.
    public var removed: Int { (1...3).reduce(0) { $0 + transitions[$1][0] } }
    /// Alerts whose action changes (e.g. review → block).
    public var changed: Int { (1...3).reduce(0) { sum, from in sum + (1...3).reduce(0) { $0 + (from == $1 ? 0 : transitions[from][$1]) } } }
    /// Alerts with the same action on both sides.
    public var unchanged: Int { (1...3).reduce(0) { $0 + transitions[$1][$1] } }
    /// Frauds among the added alerts (nil without labels).
    public var addedFrauds: Int? { fraudTransitions.map { $0[0][1...].reduce(0, +) } }
    /// Frauds among the removed alerts (nil without labels).
    public var removedFrauds: Int? { fraudTransitions.map { f in (1...3).reduce(0) { $0 + f[$1][0] } } }

    /// Compares two logs.
    ///
    /// - Parameters:
    ///   - labels: The truth, for precision, recall and fraud amounts; nil for counts only.
    ///   - examples: How many added and removed transaction ids to keep.
    public init(recorded: DecisionLog, replayed: DecisionLog, labels: FraudLabels?, examples: Int = 10) {
        var replayedIndex: [String: Int] = [:]
        replayedIndex.reserveCapacity(replayed.records.count)
        for (index, record) in replayed.records.enumerated() { replayedIndex[record.transactionID] = index }

        var transitions = Array(repeating: Array(repeating: 0, count: 4), count: 4)
        var fraudTransitions = Array(repeating: Array(repeating: 0, count: 4), count: 4)
        var before = (counts: ConfusionCounts(), caught: Int64(0))
        var after = (counts: ConfusionCounts(), caught: Int64(0))
        var fraudUnits: Int64 = 0
        var fraudsWithoutAmount = 0
        var currencies = Set<String>()
        var times: [EpochMillis] = []
        var added: [(score: Double, id: String)] = []
        var removed: [(score: Double, id: String)] = []
        var matched = 0
        for old in recorded.records {
            guard let index = replayedIndex[old.transactionID] else { continue }
            let new = replayed.records[index]
            matched += 1
            times.append(old.eventTime)
            let from = Self.index(of: old.action)
            let to = Self.index(of: new.action)
            transitions[from][to] += 1
            if from == 0 && to != 0 { added.append((new.score, new.transactionID)) }
            if from != 0 && to == 0 { removed.append((old.score, old.transactionID)) }
            let fraud = labels?.isFraud(old.transactionID) ?? false
            before.counts.add(alert: from != 0, isFraud: fraud)
            after.counts.add(alert: to != 0, isFraud: fraud)
            guard fraud else { continue }
            fraudTransitions[from][to] += 1
            if let currency = old.currency ?? new.currency { currencies.insert(currency) }
            guard let amount = old.amount ?? new.amount else {
                fraudsWithoutAmount += 1
                continue
            }
            fraudUnits &+= amount.units
            if from != 0 { before.caught &+= amount.units }
            if to != 0 { after.caught &+= amount.units }
        }
        span = EventDaySpan(times)
        let days = span?.days ?? 0
        let amountsKnown = labels != nil && fraudsWithoutAmount == 0
        func side(_ log: DecisionLog, _ totals: (counts: ConfusionCounts, caught: Int64), newSide: Bool) -> Side {
            let byAction = (1...3).map { action in (0...3).reduce(0) { $0 + (newSide ? transitions[$1][action] : transitions[action][$1]) } }
            let fraudsByAction = (1...3).map { action in
                (0...3).reduce(0) { $0 + (newSide ? fraudTransitions[$1][action] : fraudTransitions[action][$1]) }
            }
            return Side(
                source: log.source, recordsRead: log.recordsRead, duplicatesDropped: log.duplicatesDropped,
                outcome: AlertOutcome(
                    counts: totals.counts, days: days,
                    fraudAmountCaught: amountsKnown ? Money(units: totals.caught) : nil,
                    fraudAmountTotal: amountsKnown ? Money(units: fraudUnits) : nil),
                alertsByAction: byAction, fraudsByAction: labels == nil ? nil : fraudsByAction)
        }
        self.recorded = side(recorded, before, newSide: false)
        self.replayed = side(replayed, after, newSide: true)
        self.matched = matched
        onlyRecorded = recorded.records.count - matched
        onlyReplayed = replayed.records.count - matched
        self.transitions = transitions
        self.fraudTransitions = labels == nil ? nil : fraudTransitions
        hasLabels = labels != nil
        if labels == nil {
            amountNote = nil
        } else if fraudsWithoutAmount > 0 {
            amountNote = "fraud amount caught is not available: \(fraudsWithoutAmount) frauds have no amount in either log (pass --transactions with the transactions file to join amounts by transaction id)"
        } else if currencies.count > 1 {
            amountNote = "fraud amounts are in several currencies (\(currencies.sorted().joined(separator: ", "))) and are added without conversion"
        } else {
            amountNote = nil
        }
        let byScore: ((score: Double, id: String), (score: Double, id: String)) -> Bool = {
            $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id
        }
        addedExamples = added.sorted(by: byScore).prefix(examples).map(\.id)
        removedExamples = removed.sorted(by: byScore).prefix(examples).map(\.id)
    }

    /// Reads the files and compares them: what `fraudstream compare` and
    /// `fraudstream replay --compare-with` do.
    ///
    /// - Parameters:
    ///   - transactions: A transactions file to complete records that lack amount, currency,
    ///     channel or country, or nil.
    /// - Throws: ``AnalysisError`` for a missing or unreadable file, a line that does not
    ///   decode, or an empty log.
    public static func load(
        recorded: String, replayed: String, labels: String?, transactions: String? = nil
    ) throws(AnalysisError) -> DecisionComparison {
        let truth = try labels.map { path throws(AnalysisError) in try FraudLabels.read(path: path) }
        var old = try DecisionLog.read(path: recorded, role: "recorded decisions file")
        let new = try DecisionLog.read(path: replayed, role: "replayed decisions file")
        // Only matched transactions are measured, and a matched transaction's amount is taken
        // from either side: completing the recorded log is enough.
        if let transactions { try old.complete(fromTransactionsAt: transactions) }
        return DecisionComparison(recorded: old, replayed: new, labels: truth)
    }
}
