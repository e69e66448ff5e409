import ArgumentParser
import FraudEngine
import FraudModels
import FraudPipeline
import Foundation
import RdKafka

/// `fraudstream bench checkpoint`: what a checkpoint of a large engine costs.
struct CheckpointBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Measure writing and restoring checkpoints of an engine with many cards.",
        discussion: """
            Builds an engine holding --cards distinct cards (one payment each, the default \
            pending-label buffer filled) and, as the live processor's checkpoint writer \
            does, a shadow copy of it. Full checkpoint: serialises the shadow, writes the \
            file durably (temporary file, fsync, rename, directory fsync) into --dir, reads \
            it back, checks it and restores the engine. Then, --runs times: --changes more \
            payments on existing cards, the delta taken from the engine (Engine.takeDelta: \
            all the processing waits for), applied to the shadow, encoded and written as an \
            incremental checkpoint. Last, restores the newest checkpoint from its chain (the \
            full one and every delta). Everything but the delta's taking happens on the \
            writer's thread in the live processor.
            """
    )

    @Option(help: "Distinct cards in the engine.")
    var cards: Int = 1_000_000

    @Option(help: "Payments between two incremental checkpoints (on existing cards).")
    var changes: Int = 150_000

    @Option(help: "Incremental checkpoints; medians are printed when more than one.")
    var runs: Int = 3

    @Option(help: ArgumentHelp("Directory for the checkpoint files (a temporary one by default).", valueName: "path"))
    var dir: String?

    func validate() throws {
        guard cards >= 1, cards <= 20_000_000 else { throw ValidationError("--cards must be in 1...20000000") }
        guard changes >= 0 else { throw ValidationError("--changes must not be negative") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        var configuration = EngineConfiguration.default
        configuration.maxCards = max(cards, 1)
        let built = ContinuousClock.now
        let engine = try LargeEngine.build(cards: cards, configuration: configuration)
        var next = cards
        func pay(card: Int) throws {
            _ = try engine.score(LargeEngine.payment(next, card: card))
            next += 1
        }
        let s = engine.statistics
        print("engine: \(s.activeCards) cards, \(s.activeTerminals) terminals, \(s.pendingCount) pending labels (built in \(GenerateCommand.formatted((ContinuousClock.now - built).seconds, 1)) s)")
        let directory = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("fraudstream-bench-\(UUID().uuidString)").path
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let store = CheckpointStore(directory: directory, keep: runs + 1)
        func checkpoint(_ sequence: Int, _ state: [UInt8], base: ProcessorCheckpoint?) -> ProcessorCheckpoint {
            ProcessorCheckpoint(
                sequence: UInt64(sequence), createdAt: Int64(Date().timeIntervalSince1970 * 1000), groupID: "bench",
                stateVersion: engine.statistics.eventsProcessed, eventTime: engine.currentTime, modelVersion: "bench",
                run: "bench", offsets: [KafkaTopicPartition(topic: "transactions", partition: 0): Int64(next)],
                engineState: state, base: base?.asBase)
        }

        // Full: from the shadow, in the background.
        let shadow = engine.snapshot()
        engine.clearChanges()
        let a = ContinuousClock.now
        let state = shadow.checkpoint()
        let b = ContinuousClock.now
        var last = checkpoint(1, state, base: nil)
        let path = try store.write(last)
        let c = ContinuousClock.now
        let loaded = try CheckpointStore.load(path: path)
        let c2 = ContinuousClock.now
        let restored = try Engine(checkpoint: loaded.engineStateBytes, verifiedByEnclosingChecksum: true)
        let d = ContinuousClock.now
        guard restored.statistics.activeCards == s.activeCards else {
            throw CommandFailure("bench checkpoint: the restored engine has \(restored.statistics.activeCards) cards, not \(s.activeCards)")
        }
        let fullSize = CheckpointStore.fileSize(path)
        print("full checkpoint: serialise \(Int((b - a).seconds * 1000)) ms, write + fsync \(Int((c - b).seconds * 1000)) ms (\(fullSize / 1_000_000) MB, \(fullSize / max(cards, 1)) bytes per card), read + check + restore \(Int((d - c).seconds * 1000)) ms (read + check \(Int((c2 - c).seconds * 1000)) ms)")

        // Incremental: what the processing waits for, then the writer's work.
        var held: [Double] = []
        var applied: [Double] = []
        var encoded: [Double] = []
        var written: [Double] = []
        var sizes: [Int] = []
        var generator = DeterministicRandom(seed: 7)
        // As the processor's checkpoint writer does once its shadow is ready.
        var spare = EngineDelta.Buffers.prepared(for: shadow)
        for run in 1...runs {
            for _ in 0..<changes { try pay(card: Int(generator.next() % UInt64(cards))) }
            let e = ContinuousClock.now
            let lent = spare
            spare = EngineDelta.Buffers()
            let delta = engine.takeDelta(reusing: consume lent)
            let f = ContinuousClock.now
            try shadow.apply(delta)
            let g = ContinuousClock.now
            let bytes = delta.encoded()
            let h = ContinuousClock.now
            let incremental = checkpoint(run + 1, bytes, base: last)
            let file = try store.write(incremental)
            let i = ContinuousClock.now
            last = incremental
            spare = delta.buffers
            held.append((f - e).seconds * 1000)
            applied.append((g - f).seconds * 1000)
            encoded.append((h - g).seconds * 1000)
            written.append((i - h).seconds * 1000)
            sizes.append(CheckpointStore.fileSize(file))
            print("incremental \(run) (\(changes) payments: \(delta.changedEntities) entities, \(delta.appendedPendingEntries) pending entries): processing held up \(fixed(held.last!)) ms; in the background: apply to the shadow \(Int(applied.last!)) ms, encode \(Int(encoded.last!)) ms, write + fsync \(Int(written.last!)) ms (\(sizes.last! / 1_000_000) MB)")
        }

        // Restart: the newest checkpoint from its chain.
        let r0 = ContinuousClock.now
        guard let chain = try store.newestValidChain() else { throw CommandFailure("bench checkpoint: no checkpoint to restore") }
        let rebuilt = try store.restoreEngine(chain: chain)
        let r1 = ContinuousClock.now
        guard rebuilt.statistics == engine.statistics else {
            throw CommandFailure("bench checkpoint: the engine rebuilt from the chain differs from the original")
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("median of \(runs) incremental: processing held up \(fixed(median(held))) ms (longest \(fixed(held.max()!)) ms); in the background: apply \(Int(median(applied))) ms, encode \(Int(median(encoded))) ms, write + fsync \(Int(median(written))) ms; \(sizes.sorted()[sizes.count / 2] / 1_000_000) MB each")
        print("restore from the chain (full + \(chain.count - 1) incremental, \((fullSize + sizes.reduce(0, +)) / 1_000_000) MB): read + check + restore \(Int((r1 - r0).seconds * 1000)) ms")
    }

    private func fixed(_ value: Double) -> String { GenerateCommand.formatted(value, 1) }
}
