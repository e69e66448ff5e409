import Dispatch
import FraudEngine
import Foundation
import RdKafka

/// Builds and writes checkpoints on a thread of its own (a serial dispatch queue, never
/// Swift's cooperative pool), so that the processing loop only waits for
/// ``FraudEngine/Engine/takeDelta()``: a copy of what changed since the last checkpoint,
/// not of the whole state. One checkpoint at a time.
///
/// The writer keeps a *shadow*: an engine equal to the live one as of the last delta it
/// received (built at start the way the live engine was: fresh, or restored from the same
/// checkpoint; then every delta applied). Each checkpoint is written either incremental —
/// the delta, on top of the checkpoint written just before — or full, serialised from the
/// shadow, off the processing thread and without copying the live engine. A full one is
/// written when there is no usable previous checkpoint (the first of a directory, or after a
/// write failed or was given up), after ``fullEvery`` incremental ones in a row, or when the
/// incremental ones since the last full one add up to half its size (or to
/// ``incrementalAllowance``, if more: every delta carries the models whole, so a small
/// engine's deltas are as large as its full checkpoints, and they are cheap to restore
/// anyway): restoring then reads at most about 1.5 full checkpoints, or a full one and
/// 128 MiB.
final class CheckpointWriter: Sendable {
    private let queue = DispatchQueue(label: "fraudstream.checkpoint-writer")
    private let busy = LockedValue(false)
    private let failed = LockedValue(false)
    private let needsSnapshot = LockedValue(false)
    private let spareBuffers = LockedValue<EngineDelta.Buffers?>(nil)
    /// Confined to `queue`.
    private let state: Handoff<ShadowState>
    /// Most incremental checkpoints in a row.
    let fullEvery: Int
    /// Incremental bytes since the last full checkpoint that are always allowed.
    static let incrementalAllowance = 128 << 20

    /// What the writer knows of the checkpoints so far (used only on its queue).
    final class ShadowState {
        var shadow: Engine?
        /// Which checkpoint was written last: the base of an incremental next one (its
        /// identity only: its bytes, hundreds of megabytes for a full one, are not kept); nil
        /// when the next must be full.
        var lastWritten: ProcessorCheckpoint.Base?
        var incrementalInARow = 0
        var incrementalBytes = 0
        var lastFullBytes = 0
    }

    /// What a checkpoint carries of the engine.
    enum Change {
        /// What changed since the previous checkpoint's change.
        case delta(EngineDelta)
        /// A whole copy of the engine (when the writer has no shadow).
        case snapshot(Engine)
    }

    /// Metadata of one checkpoint, from the processing loop.
    struct Metadata: Sendable {
        var sequence: UInt64
        var createdAt: Int64
        var groupID: String
        var modelVersion: String
        var run: String
        var offsets: [KafkaTopicPartition: Int64]
    }

    /// A writer whose shadow starts as `initial` (made on the writer's thread: a fresh engine
    /// or one restored from the checkpoint the live engine was restored from), and whose
    /// first checkpoint may build on the last of `restoredChain` (the checkpoint the processor
    /// restored, with the chain it is built from). When `initial` fails, the first
    /// checkpoint copies the live engine instead.
    init(fullEvery: Int, restoredChain: [ProcessorCheckpoint]?, initial: @escaping @Sendable () throws -> Engine) {
        precondition(fullEvery >= 0)
        self.fullEvery = fullEvery
        let state = ShadowState()
        if let chain = restoredChain, let first = chain.first {
            state.lastWritten = chain.last?.asBase
            state.lastFullBytes = first.engineStateBytes.count
            state.incrementalInARow = chain.count - 1
            state.incrementalBytes = chain.dropFirst().reduce(0) { $0 + $1.engineStateBytes.count }
        }
        let box = Handoff(state)
        self.state = box
        queue.async { [needsSnapshot, spareBuffers] in
            do {
                let shadow = try initial()
                box.value.shadow = shadow
                // The first delta then copies into memory already mapped, like every later one.
                let prepared = EngineDelta.Buffers.prepared(for: shadow)
                spareBuffers.withLock { if $0 == nil { $0 = prepared } }
            } catch {
                needsSnapshot.withLock { $0 = true }
            }
        }
    }

    /// The arrays of the last delta written out, for the next ``FraudEngine/Engine/takeDelta(reusing:)``
    /// (copying into memory already mapped keeps the processing stall short); nil if none.
    func takeSpareBuffers() -> EngineDelta.Buffers? {
        spareBuffers.withLock { value in
            defer { value = nil }
            return value
        }
    }

    /// Whether the next checkpoint must carry a whole copy of the engine (the shadow could
    /// not be built or fell out of step).
    var needsFullCopy: Bool { needsSnapshot.withLock { $0 } }

    /// Notes that the checkpoint in progress was not written (failed or given up).
    func recordFailure() { failed.withLock { $0 = true } }

    /// Whether a checkpoint was not written since the last call (and clears it).
    func takeFailure() -> Bool {
        failed.withLock { value in
            defer { value = false }
            return value
        }
    }

    /// Whether a write is in progress.
    var isBusy: Bool { busy.withLock { $0 } }

    /// Brings the shadow up to date with `change`, waits with `outputsDurable` (false: give
    /// the checkpoint up), then writes checkpoint `metadata.sequence` into `store`, full or
    /// incremental, and calls `completion` on the writer's thread with the checkpoint and
    /// the file's path or the error. The caller checks ``isBusy`` first.
    func submit(
        _ change: Handoff<Change>, metadata: Metadata, outputsDurable: @escaping @Sendable () -> Bool,
        to store: CheckpointStore,
        completion: @escaping @Sendable (ProcessorCheckpoint?, Result<String, CheckpointError>) -> Void
    ) {
        busy.withLock { $0 = true }
        queue.async { [self] in
            defer { busy.withLock { $0 = false } }
            let s = state.value
            // The shadow follows every change, written or not: the next delta builds on it.
            var delta: EngineDelta?
            switch change.value {
            case .snapshot(let engine):
                s.shadow = engine
                s.lastWritten = nil
                needsSnapshot.withLock { $0 = false }
            case .delta(let d):
                do {
                    guard let shadow = s.shadow else { throw CheckpointError.givenUp(reason: "no copy of the engine") }
                    try shadow.apply(d)
                    delta = d
                } catch {
                    s.shadow = nil
                    s.lastWritten = nil
                    needsSnapshot.withLock { $0 = true }
                    recordFailure()
                    completion(nil, .failure(.givenUp(reason: "the writer's copy of the engine fell out of step (\(error)); the next checkpoint copies the engine")))
                    return
                }
            }
            guard outputsDurable(), let shadow = s.shadow else {
                s.lastWritten = nil
                recordFailure()
                completion(nil, .failure(.givenUp(reason: "outputs not acknowledged within 60 s")))
                return
            }
            // Done with the delta's own arrays once it is applied and encoded (below).
            defer { if let delta { spareBuffers.withLock { $0 = delta.buffers } } }
            let base = s.lastWritten.flatMap { last in last.sequence < metadata.sequence ? last : nil }
            let incremental =
                base != nil && delta != nil && s.incrementalInARow < fullEvery
                && s.incrementalBytes < max(s.lastFullBytes / 2, Self.incrementalAllowance)
            let engineState = incremental ? delta!.encoded() : shadow.checkpoint()
            let checkpoint = ProcessorCheckpoint(
                sequence: metadata.sequence, createdAt: metadata.createdAt, groupID: metadata.groupID,
                stateVersion: shadow.statistics.eventsProcessed, eventTime: shadow.currentTime,
                modelVersion: metadata.modelVersion, run: metadata.run, offsets: metadata.offsets,
                engineState: engineState, base: incremental ? base : nil)
            let result = Result { () throws(CheckpointError) in try store.write(checkpoint) }
            switch result {
            case .success:
                s.lastWritten = checkpoint.asBase
                if incremental {
                    s.incrementalInARow += 1
                    s.incrementalBytes += engineState.count
                } else {
                    s.incrementalInARow = 0
                    s.incrementalBytes = 0
                    s.lastFullBytes = engineState.count
                }
            case .failure:
                s.lastWritten = nil
                recordFailure()
            }
            completion(checkpoint, result)
        }
    }

    /// Hands a value owned by nobody else to the writer thread.
    final class Handoff<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Waits until no write is in progress.
    func waitIdle() async {
        while isBusy { try? await Task.sleep(for: .milliseconds(2)) }
    }
}
