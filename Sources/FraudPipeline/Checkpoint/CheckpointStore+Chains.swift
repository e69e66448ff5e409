import FraudEngine
import FraudModels

extension CheckpointStore {
    /// Reads and checks checkpoint `sequence` of this directory.
    public func load(sequence: UInt64) throws(CheckpointError) -> ProcessorCheckpoint {
        try Self.load(path: path(sequence: sequence))
    }

    /// The checkpoints `checkpoint`'s engine state is built from, oldest first: a full
    /// checkpoint, then every incremental one up to and including `checkpoint` (just
    /// `[checkpoint]` for a full one).
    ///
    /// - Throws: ``CheckpointError/brokenChain(path:reason:)`` when a file of the chain is
    ///   missing, unreadable, or not the checkpoint the next one was written after (same
    ///   sequence, run and state version).
    public func chain(endingWith checkpoint: ProcessorCheckpoint) throws(CheckpointError) -> [ProcessorCheckpoint] {
        var links = [checkpoint]
        while let base = links[links.count - 1].base {
            let current = links[links.count - 1]
            let previous: ProcessorCheckpoint
            do {
                previous = try load(sequence: base.sequence)
            } catch {
                throw .brokenChain(
                    path: path(sequence: checkpoint.sequence),
                    reason: "it builds on checkpoint \(base.sequence), which cannot be read (\(error))")
            }
            guard previous.run == base.run, previous.stateVersion == base.stateVersion else {
                throw .brokenChain(
                    path: path(sequence: checkpoint.sequence),
                    reason:
                        "checkpoint \(current.sequence) was written after checkpoint \(base.sequence) of run \(base.run) at state version \(base.stateVersion), but the file \(path(sequence: base.sequence)) holds run \(previous.run) at state version \(previous.stateVersion)"
                )
            }
            links.append(previous)
        }
        return links.reversed()
    }

    /// The engine state of `checkpoint`: its own for a full checkpoint; for an incremental
    /// one, the full checkpoint of its chain restored and every delta applied in order.
    public func restoreEngine(_ checkpoint: ProcessorCheckpoint) throws(CheckpointError) -> Engine {
        try restoreEngine(chain: chain(endingWith: checkpoint))
    }

    /// The engine state at the end of `links`, a chain from ``chain(endingWith:)``.
    public func restoreEngine(chain links: [ProcessorCheckpoint]) throws(CheckpointError) -> Engine {
        precondition(!links.isEmpty && links[0].base == nil, "a chain starts with a full checkpoint")
        let engine: Engine
        do {
            engine = try Engine(checkpoint: links[0].engineStateBytes, verifiedByEnclosingChecksum: true)
        } catch {
            throw .invalid(path: path(sequence: links[0].sequence), error)
        }
        for link in links.dropFirst() {
            do {
                try engine.apply(try EngineDelta(decoding: link.engineStateBytes, verifiedByEnclosingChecksum: true))
            } catch {
                throw .invalid(path: path(sequence: link.sequence), error)
            }
        }
        return engine
    }
}
