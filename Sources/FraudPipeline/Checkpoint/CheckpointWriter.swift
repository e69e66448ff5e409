import Dispatch
import FraudEngine
import Foundation

/// Serialises and writes checkpoints on a thread of its own (a serial dispatch queue, never
/// Swift's cooperative pool), so that the processing loop only waits for a copy of the
/// engine (``FraudEngine/Engine/snapshot()``), not for serialisation or the disk. One
/// checkpoint at a time.
final class CheckpointWriter: Sendable {
    private let queue = DispatchQueue(label: "fraudstream.checkpoint-writer")
    private let busy = LockedValue(false)
    private let failed = LockedValue(false)
    private let spare = LockedValue<Handoff<Engine>?>(nil)

    /// Keeps `engine`, a snapshot the writer is done with (or a copy of the engine made for
    /// the purpose), for the next ``FraudEngine/Engine/snapshot(reusing:)``: copying into
    /// memory already mapped keeps the processing stall short.
    func depositSpare(_ engine: Engine) { spare.withLock { $0 = Handoff(engine) } }

    /// Builds a spare in the background from the bytes of the checkpoint the processor
    /// restored (the same sizes as the restored engine), so that even the run's first
    /// checkpoint copies into memory already mapped.
    func prepareSpare(fromCheckpoint bytes: [UInt8]) {
        queue.async { [self] in
            if let engine = try? Engine(checkpoint: bytes, verifiedByEnclosingChecksum: true) { depositSpare(engine) }
        }
    }

    /// The spare snapshot, if one is ready (it is then the caller's).
    func takeSpare() -> Engine? {
        spare.withLock { value in
            defer { value = nil }
            return value?.value
        }
    }

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

    /// Builds the checkpoint with `make` and writes it into `store`, in the background, then
    /// calls `completion` (on the writer's thread) with the checkpoint and the file's path or
    /// the error. `make` may block (it runs on the writer's thread) and returns nil to give
    /// the checkpoint up. The caller checks ``isBusy`` first.
    func submit(
        _ make: @escaping @Sendable () -> ProcessorCheckpoint?, to store: CheckpointStore,
        completion: @escaping @Sendable (ProcessorCheckpoint, Result<String, CheckpointError>) -> Void
    ) {
        busy.withLock { $0 = true }
        queue.async { [busy] in
            if let checkpoint = make() {
                let result = Result { () throws(CheckpointError) in try store.write(checkpoint) }
                completion(checkpoint, result)
            }
            busy.withLock { $0 = false }
        }
    }

    /// Hands a snapshot engine (owned by nobody else) to the writer thread.
    final class Handoff<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Waits until no write is in progress.
    func waitIdle() async {
        while isBusy { try? await Task.sleep(for: .milliseconds(2)) }
    }
}
