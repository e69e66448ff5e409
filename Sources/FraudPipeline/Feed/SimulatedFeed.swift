import FraudEngine
import FraudSimulator
import Foundation
import RdKafka

/// Writes a simulated payment stream to Kafka at a steady wall-clock rate: transactions to
/// one topic and fraud reports to another, both keyed by card (so that with the same
/// partition count a card's reports land on the partition number of its transactions, and
/// reach the same member of a processor group), reports with message timestamp =
/// `reported_at`, in the simulation's event-time order. This is what drives
/// `fraudstream demo` and `fraudstream generate --bootstrap`, and the load of `bench e2e`.
///
/// Event time is the simulation's own (it runs faster than the wall clock at high rates, so
/// the delayed fraud reports arrive within the run). Labels are not counted against the
/// rate. The feed remembers which transactions it sent were frauds (the simulator's truth)
/// so a demo can score its alerts; that set holds about 1% of the transactions sent.
public final class SimulatedFeed: Sendable {
    /// What to send where, and how fast.
    public struct Configuration: Sendable {
        /// Topic of the transactions.
        public var transactionsTopic: String
        /// Topic of the fraud reports; nil: do not send them.
        public var labelsTopic: String?
        /// Transactions per second of wall-clock time; nil: as fast as the producer takes them.
        public var rate: Double?
        /// Stop after this many transactions (nil: when the simulation ends or on ``stop()``).
        public var maxTransactions: Int?

        /// Creates a configuration.
        public init(transactionsTopic: String, labelsTopic: String?, rate: Double?, maxTransactions: Int? = nil) {
            self.transactionsTopic = transactionsTopic
            self.labelsTopic = labelsTopic
            self.rate = rate
            self.maxTransactions = maxTransactions
        }
    }

    /// Counters of what was sent.
    public struct Progress: Sendable, Hashable {
        /// Transactions handed to the producer.
        public var transactions = 0
        /// Of which frauds (the simulator's truth).
        public var frauds = 0
        /// Fraud reports handed to the producer.
        public var labels = 0
        /// Event time of the last transaction sent.
        public var eventTime: EpochMillis?
        /// Whether the feed has finished.
        public var finished = false

        /// Nothing sent.
        public init() {}
    }

    private struct State {
        var progress = Progress()
        var fraudIDs: Set<String> = []
        var sendTimes: [String: ContinuousClock.Instant] = [:]
    }

    private let configuration: Configuration
    private let producer: KafkaProducer
    private let stream: LockedValue<SimulatedEventStream?>
    private let state = LockedValue(State())
    private let stopped = LockedValue(false)
    private let recordSendTimes: Bool

    /// - Parameters:
    ///   - recordSendTimes: remember when each transaction was sent (``sendTime(of:)``), for
    ///     latency measurements; costs memory per transaction (reserved up front for
    ///     ``Configuration/maxTransactions``).
    public init(
        stream: SimulatedEventStream, producer: KafkaProducer, configuration: Configuration,
        recordSendTimes: Bool = false
    ) {
        precondition(configuration.rate.map { $0 > 0 } ?? true, "rate must be positive")
        self.stream = LockedValue(stream)
        self.producer = producer
        self.configuration = configuration
        self.recordSendTimes = recordSendTimes
        // Sized up front: growing a table of hundreds of thousands of entries rehashes all of
        // them under the lock, and the latency readers (``sendTime(of:)``) would wait tens of
        // milliseconds on it, on the same cooperative threads as the processor.
        if recordSendTimes, let limit = configuration.maxTransactions {
            state.withLock { $0.sendTimes.reserveCapacity(limit) }
        }
    }

    /// What was sent so far.
    public var progress: Progress { state.withLock { $0.progress } }

    /// Whether `transactionID` was sent and is a fraud (nil: not sent by this feed, or not a fraud).
    public func isFraud(_ transactionID: String) -> Bool {
        state.withLock { $0.fraudIDs.contains(transactionID) }
    }

    /// When `transactionID` was handed to the producer (with `recordSendTimes` only).
    public func sendTime(of transactionID: String) -> ContinuousClock.Instant? {
        state.withLock { $0.sendTimes[transactionID] }
    }

    /// Makes ``run()`` return after the event in flight.
    public func stop() { stopped.withLock { $0 = true } }

    /// Sends until the simulation ends, ``Configuration/maxTransactions`` is reached or
    /// ``stop()``. Does not flush or close the producer.
    public func run() async throws {
        guard var stream = stream.withLock({ s -> SimulatedEventStream? in defer { s = nil }; return s }) else {
            preconditionFailure("SimulatedFeed.run() may be called only once")
        }
        defer { state.withLock { $0.progress.finished = true } }
        let transactionEncoder = TransactionEncoder()
        let labelEncoder = LabelEncoder()
        let started = ContinuousClock.now
        var sent = 0
        var chunk: [(SimulatedTransaction?, Label?)] = []
        chunk.reserveCapacity(256)
        while !stopped.withLock({ $0 }) {
            // How many transactions may go now.
            var allowance = 256
            if let rate = configuration.rate {
                let seconds = (ContinuousClock.now - started).seconds
                let due = Int(seconds * rate) + 1 - sent
                if due <= 0 {
                    let wait = (Double(sent) / rate - seconds)
                    try await Task.sleep(for: .microseconds(Int64(min(max(wait, 0.0005), 0.02) * 1e6)))
                    continue
                }
                allowance = min(due, 256)
            }
            if let limit = configuration.maxTransactions { allowance = min(allowance, limit - sent) }
            chunk.removeAll(keepingCapacity: true)
            var ended = false
            var transactionsInChunk = 0
            while transactionsInChunk < allowance {
                guard let event = stream.next() else {
                    ended = true
                    break
                }
                switch event {
                case .transaction(let t):
                    chunk.append((t, nil))
                    transactionsInChunk += 1
                case .label(let label):
                    if configuration.labelsTopic != nil { chunk.append((nil, label)) }
                case .compromise:
                    break
                }
            }
            var progress = Progress()
            var frauds: [String] = []
            var times: [(String, ContinuousClock.Instant)] = []
            for (simulated, label) in chunk {
                if let simulated {
                    let t = simulated.transaction
                    try await producer.send(
                        topic: configuration.transactionsTopic, key: Array(t.cardID.utf8),
                        value: transactionEncoder.encode(t))
                    if recordSendTimes { times.append((t.transactionID, .now)) }
                    progress.transactions += 1
                    progress.eventTime = t.timestamp
                    if simulated.isFraud {
                        progress.frauds += 1
                        frauds.append(t.transactionID)
                    }
                } else if let label, let topic = configuration.labelsTopic {
                    try await producer.send(
                        topic: topic, key: Array((label.cardID ?? label.transactionID).utf8), value: labelEncoder.encode(label),
                        timestamp: label.reportedAt)
                    progress.labels += 1
                }
            }
            sent += progress.transactions
            state.withLock { s in
                s.progress.transactions += progress.transactions
                s.progress.frauds += progress.frauds
                s.progress.labels += progress.labels
                if let time = progress.eventTime { s.progress.eventTime = time }
                s.fraudIDs.formUnion(frauds)
                for (id, time) in times { s.sendTimes[id] = time }
            }
            if ended || configuration.maxTransactions.map({ sent >= $0 }) == true { break }
        }
    }
}
