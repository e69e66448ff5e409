import FraudEngine
import FraudRules
import Foundation
import RdKafka

/// Replays an NDJSON history on two threads: the calling thread reads and decodes the input,
/// applies the rules to the scored transactions, and encodes and writes the records; a
/// second thread owns the engine. The
/// engine still sees one event at a time in the history's order, so the records are exactly
/// those of a single-threaded ``ReplayCore`` run; they are written in that order too.
///
/// A ``HistoryBatch`` of `batchSize` events goes to the engine's thread and comes back
/// scored, through bounded queues (two batches each way), and is then reused: memory stays
/// bounded, nothing is allocated per batch, and neither thread waits for the other unless it
/// is ahead.
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

    /// CPU seconds each thread used, to tell which one limits the rate.
    public struct ThreadTimes: Sendable {
        /// The engine's thread.
        public var engine: Double
        /// The calling thread (reading, decoding, encoding, writing).
        public var caller: Double
    }

    /// Runs a history through `core` (which must not write records itself: see
    /// ``ReplayCore/writesRecords``) in batches: `fill` appends up to `limit` events of the
    /// history to an empty batch (none at the end), `handle` reads a scored batch; both run
    /// on this thread, batches in history order. Returns when the history is done;
    /// rethrows what `fill` or `handle` throws, after the engine thread stopped.
    @discardableResult
    public static func run(
        core: ReplayCore, batchSize: Int = 4096, fill: (_ batch: HistoryBatch, _ limit: Int) throws -> Void,
        handle: (HistoryBatch) throws -> Void
    ) throws -> ThreadTimes {
        let callerStart = threadCPUSeconds()
        let engineSeconds = LockedSeconds()
        precondition(!core.writesRecords, "the engine thread only scores; records are encoded by the caller")
        precondition(batchSize > 0)
        // A batch goes to the engine thread and comes back scored (the reference moves,
        // nothing is copied), is handled here, emptied and filled again.
        let input = BatchQueue<HistoryBatch?>(capacity: 2)
        let output = BatchQueue<HistoryBatch?>(capacity: 2)
        let box = CoreBox(core)
        // The rules judge scored batches here: they need only the transaction and its
        // decision, and the engine's thread is the busier one.
        let rules = core.rulesBox
        var actions: [RuleAction: Int] = [:]
        let engineThread = Thread {
            ThreadName.setCurrent("fs-replay-eng")
            let core = box.core
            while let batch = input.pop() {
                batch.score(with: core)
                output.push(batch)
            }
            engineSeconds.set(threadCPUSeconds())
            output.push(nil)
        }
        engineThread.start()

        var failure: (any Error)?
        var spare: [HistoryBatch] = []
        // This thread never blocks on `input` (only tries): it blocks on `output` alone, which
        // the engine thread fills whenever `input` is not empty, so neither waits forever.
        var toSend: HistoryBatch?? = .none  // a batch not yet handed over (.some(nil): the end)
        var endSent = false
        while true {
            if !endSent {
                if toSend == nil {
                    if failure != nil {
                        toSend = .some(nil)
                    } else {
                        let batch = spare.popLast() ?? HistoryBatch(capacity: batchSize)
                        do {
                            try fill(batch, batchSize)
                        } catch {
                            failure = error
                            batch.removeAll()
                        }
                        if batch.count == 0 {
                            spare.append(batch)
                            toSend = .some(nil)
                        } else {
                            toSend = .some(batch)
                        }
                    }
                }
                if input.tryPush(toSend!) {
                    if case .some(.none) = toSend { endSent = true }
                    toSend = nil
                    continue
                }
            }
            guard let scored = output.pop() else { break }
            if failure == nil {  // else draining after a failure
                scored.evaluateRules(rules, actions: &actions)
                do { try handle(scored) } catch { failure = error }
            }
            scored.removeAll()
            spare.append(scored)
        }
        // The engine's thread has stopped: the core is this thread's again.
        core.countActions(actions)
        if let failure { throw failure }
        return ThreadTimes(engine: engineSeconds.get(), caller: threadCPUSeconds() - callerStart)
    }

    /// Runs `next`'s events through `core` as ``run(core:batchSize:fill:handle:)`` does,
    /// calling `handle` on this thread for every outcome in order. `next` returns nil at the
    /// end of the history (and again if called again).
    @discardableResult
    public static func run(
        core: ReplayCore, batchSize: Int = 4096, next: () throws -> HistoryEvent?,
        handle: (Outcome) throws -> Void
    ) throws -> ThreadTimes {
        try run(
            core: core, batchSize: batchSize,
            fill: { batch, limit in
                while batch.count < limit, let event = try next() { batch.append(event) }
            },
            handle: { batch in try batch.forEachOutcome(handle) })
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
