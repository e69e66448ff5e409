import FraudEngine
import FraudRules
import Foundation

/// Replays an NDJSON history on two threads: the calling thread reads and decodes the input
/// and encodes and writes the records; a second thread owns the engine and the rules. The
/// engine still sees one event at a time in the history's order, so the records are exactly
/// those of a single-threaded ``ReplayCore`` run; they are written in that order too.
///
/// Batches of `batchSize` events go one way and batches of outcomes the other, through
/// bounded queues (two batches each): memory stays bounded, and neither thread waits for
/// the other unless it is ahead.
///
/// Call it from a thread of its own, never from Swift's cooperative pool: it blocks.
public enum ParallelReplay {
    /// What one transaction came to, as the writing thread sees it.
    public enum Outcome: Sendable {
        /// Scored: write its record.
        case decided(ScoredTransaction)
        /// The engine refused it.
        case refused(Transaction, InputPosition, EngineError)
        /// The input did not decode.
        case rejected(InputPosition, String)
    }

    /// Runs `history` through `core` (which must not write records itself: see
    /// ``ReplayCore/writesRecords``), calling `handle` on this thread for every outcome in
    /// order. Returns when the history is done; rethrows what `next` or `handle` throws,
    /// after the engine thread stopped.
    /// CPU seconds each thread used, to tell which one limits the rate.
    public struct ThreadTimes: Sendable {
        /// The engine's thread.
        public var engine: Double
        /// The calling thread (reading, decoding, encoding, writing).
        public var caller: Double
    }

    /// What the engine thread returns for one event it was given (in the same order).
    enum EngineResult {
        case decided(Decision, RuleOutcome, labelsBefore: [InputPosition])
        case refused(EngineError)
        case rejected(String)
        case learned
    }

    @discardableResult
    public static func run(
        core: ReplayCore, batchSize: Int = 4096, next: () throws -> HistoryEvent?,
        handle: (Outcome) throws -> Void
    ) throws -> ThreadTimes {
        let callerStart = threadCPUSeconds()
        let engineSeconds = LockedSeconds()
        precondition(!core.writesRecords, "the engine thread only scores; records are encoded by the caller")
        // The engine thread gets the events without their transactions' input positions (a
        // file's path is one string shared by every event: its reference count, touched by
        // both threads for every transaction, bounced between the cores); this thread keeps
        // the events it handed over and pairs them with the results that come back in order.
        // A batch goes to the engine thread and comes back with its results (the array
        // moves, nothing is copied); this thread keeps only the input positions.
        let input = BatchQueue<[(HistoryEvent, TransactionKeys?)]?>(capacity: 2)
        let output = BatchQueue<([EngineResult], [(HistoryEvent, TransactionKeys?)])?>(capacity: 2)
        let box = CoreBox(core)
        let engineThread = Thread {
            let core = box.core
            while let batch = input.pop() {
                var results: [EngineResult] = []
                results.reserveCapacity(batch.count)
                for i in batch.indices {
                    switch core.apply(batch[i].0, keys: batch[i].1, processedAt: 0) {
                    case .decided(let decision, let verdict):
                        results.append(.decided(decision, verdict, labelsBefore: core.labelsBeforeLastDecision))
                    case .refused(let error): results.append(.refused(error))
                    case .rejected(let reason): results.append(.rejected(reason))
                    case .learned: results.append(.learned)
                    }
                }
                output.push((results, batch))
            }
            engineSeconds.set(threadCPUSeconds())
            output.push(nil)
        }
        engineThread.name = "fraudstream-replay-engine"
        engineThread.start()

        let unplaced = InputPosition(topic: "", partition: 0, offset: 0)
        var failure: (any Error)?
        var inputDone = false
        var ready: [(HistoryEvent, TransactionKeys?)]?? = .none  // a decoded batch not yet handed over (.some(nil): the end)
        var readyPositions: [InputPosition] = []
        var inFlight: [[InputPosition]] = []  // the transactions' positions of the batches handed over, oldest first
        while true {
            if !inputDone && failure == nil {
                if ready == nil {
                    do {
                        var batch: [(HistoryEvent, TransactionKeys?)] = []
                        batch.reserveCapacity(batchSize)
                        readyPositions = []
                        readyPositions.reserveCapacity(batchSize)
                        while batch.count < batchSize, let event = try next() {
                            // Hashed here, off the engine's thread.
                            if case .transaction(let transaction, let position) = event {
                                batch.append((.transaction(transaction, unplaced), TransactionKeys(transaction)))
                                readyPositions.append(position)
                            } else {
                                batch.append((event, nil))
                            }
                        }
                        ready = .some(batch.isEmpty ? nil : batch)
                    } catch {
                        failure = error
                        ready = .some(nil)
                    }
                }
                if input.tryPush(ready!) {
                    if case .some(.none) = ready {
                        inputDone = true
                    } else {
                        inFlight.append(readyPositions)
                        readyPositions = []
                    }
                    ready = nil
                    continue
                }
            } else if failure != nil && !inputDone {
                input.push(nil)
                inputDone = true
            }
            guard let (results, events) = output.pop() else { break }
            let positions = inFlight.isEmpty ? [] : inFlight.removeFirst()
            guard failure == nil else { continue }  // draining after a failure
            do {
                var transactionIndex = 0
                for i in results.indices {
                    guard case .transaction(let transaction, _) = events[i].0 else {
                        if case (.rejected(let reason), .rejected(let position, _)) = (results[i], events[i].0) {
                            try handle(.rejected(position, reason))
                        }
                        continue
                    }
                    let position = positions[transactionIndex]
                    transactionIndex += 1
                    switch results[i] {
                    case .decided(let decision, let verdict, let labelsBefore):
                        try handle(.decided(ScoredTransaction(
                            transaction: transaction, position: position, decision: decision, verdict: verdict,
                            labelsBefore: labelsBefore)))
                    case .refused(let error):
                        try handle(.refused(transaction, position, error))
                    default:
                        break
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return ThreadTimes(engine: engineSeconds.get(), caller: threadCPUSeconds() - callerStart)
    }

    /// CPU time of the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// The engine thread's CPU time, handed to the caller.
private final class LockedSeconds: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0.0
    func set(_ v: Double) { lock.withLock { value = v } }
    func get() -> Double { lock.withLock { value } }
}

/// Hands the core to the engine thread, which alone uses it until the run ends.
private final class CoreBox: @unchecked Sendable {
    let core: ReplayCore
    init(_ core: ReplayCore) { self.core = core }
}
