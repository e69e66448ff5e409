import Dispatch
import Foundation

/// Writes checkpoint files on a thread of its own (a serial dispatch queue, never Swift's
/// cooperative pool), so that the processing loop only waits for the engine's serialisation,
/// not for the disk. One write at a time.
final class CheckpointWriter: Sendable {
    private let queue = DispatchQueue(label: "fraudstream.checkpoint-writer")
    private let busy = LockedValue(false)

    /// Whether a write is in progress.
    var isBusy: Bool { busy.withLock { $0 } }

    /// Writes `checkpoint` into `store` in the background, then calls `completion` (on the
    /// writer's thread) with the file's path or the error. The caller checks ``isBusy`` first.
    func submit(
        _ checkpoint: ProcessorCheckpoint, to store: CheckpointStore,
        completion: @escaping @Sendable (Result<String, CheckpointError>) -> Void
    ) {
        busy.withLock { $0 = true }
        queue.async { [busy] in
            let result = Result { () throws(CheckpointError) in try store.write(checkpoint) }
            completion(result)
            busy.withLock { $0 = false }
        }
    }

    /// Waits until no write is in progress.
    func waitIdle() async {
        while isBusy { try? await Task.sleep(for: .milliseconds(2)) }
    }
}
