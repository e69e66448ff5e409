import FraudEngine

/// The simulation as one stream of events in event-time order: compromises at the start of
/// each day, transactions, and fraud reports at their `reportedAt`.
///
/// Order: by time; at equal times a report comes before a transaction (a scorer applies
/// every label with `reported_at <= t` before scoring at `t`), reports by transaction id.
/// After the last day the reports still pending (up to the maximum delay) follow.
///
/// Memory: one day of transactions plus the pending reports (about 14 days of frauds).
public struct SimulatedEventStream: Sequence, IteratorProtocol, Sendable {
    /// The simulator being drained (its summary counts what has been generated).
    public private(set) var simulator: TransactionSimulator
    var day: SimulatedDay?
    var position = 0
    var compromisePosition = 0
    var pending = ReportHeap()

    /// A stream over a fresh simulator.
    public init(configuration: SimulatorConfiguration) throws(SimulatorConfigurationError) {
        self.init(simulator: try TransactionSimulator(configuration: configuration))
    }

    /// A stream over `simulator` from its next day on.
    public init(simulator: TransactionSimulator) {
        self.simulator = simulator
    }

    /// Fraud reports generated but not yet emitted.
    public var pendingReports: Int { pending.count }

    /// The next event, or nil when the simulation and every report are out.
    public mutating func next() -> SimulatedEvent? {
        while true {
            if let current = day {
                if compromisePosition < current.compromises.count {
                    compromisePosition += 1
                    return .compromise(current.compromises[compromisePosition - 1])
                }
                if position < current.transactions.count {
                    let transaction = current.transactions[position]
                    if let top = pending.peek(), top.reportedAt <= transaction.transaction.timestamp {
                        return .label(pending.pop()!)
                    }
                    position += 1
                    if let report = transaction.fraudReport { pending.push(report, index: transaction.index) }
                    return .transaction(transaction)
                }
                // The day is out: reports due before the next day starts come first.
                let nextStart = current.start + CivilCalendar.millisPerDay
                if !simulator.isFinished, let top = pending.peek(), top.reportedAt < nextStart {
                    return .label(pending.pop()!)
                }
                day = nil
            }
            if let next = simulator.nextDay() {
                day = next
                position = 0
                compromisePosition = 0
                continue
            }
            return pending.pop().map { SimulatedEvent.label($0) }
        }
    }
}

/// Min-heap of pending fraud reports by (reportedAt, transaction index).
struct ReportHeap: Sendable {
    var items: [(reportedAt: EpochMillis, index: Int, label: Label)] = []

    var count: Int { items.count }

    func less(_ a: Int, _ b: Int) -> Bool {
        items[a].reportedAt != items[b].reportedAt ? items[a].reportedAt < items[b].reportedAt : items[a].index < items[b].index
    }

    func peek() -> Label? { items.first?.label }

    mutating func push(_ label: Label, index: Int) {
        items.append((label.reportedAt, index, label))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Label? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast().label
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && less(left, smallest) { smallest = left }
            if right < items.count && less(right, smallest) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
