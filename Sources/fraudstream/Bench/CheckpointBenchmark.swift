import ArgumentParser
import FraudEngine
import FraudPipeline
import Foundation
import RdKafka

/// `fraudstream bench checkpoint`: what a checkpoint of a large engine costs.
struct CheckpointBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Measure writing and restoring a checkpoint of an engine with many cards.",
        discussion: """
            Builds an engine holding --cards distinct cards (one payment each, the default \
            pending-label buffer filled), then, --runs times: copies it (Engine.snapshot, \
            what the live processor waits for), serialises the copy (Engine.checkpoint), \
            writes the checkpoint file durably (temporary file, fsync, rename, directory \
            fsync) into --dir, reads it back, checks it and restores the engine. In the live \
            processor serialisation and writing happen on a thread of its own.
            """
    )

    @Option(help: "Distinct cards in the engine.")
    var cards: Int = 1_000_000

    @Option(help: "Runs; medians are printed when more than one.")
    var runs: Int = 3

    @Option(help: ArgumentHelp("Directory for the checkpoint files (a temporary one by default).", valueName: "path"))
    var dir: String?

    func validate() throws {
        guard cards >= 1, cards <= 20_000_000 else { throw ValidationError("--cards must be in 1...20000000") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        var configuration = EngineConfiguration.default
        configuration.maxCards = max(cards, 1)
        let engine = Engine(configuration: configuration)
        let eur = CurrencyCode("EUR")!
        let t0: EpochMillis = 1_775_001_600_000
        let built = ContinuousClock.now
        for i in 0..<cards {
            _ = try engine.score(
                Transaction(
                    transactionID: "x\(i)", cardID: "card-\(i)", merchantID: "m\(i % 2_000)",
                    amount: Money(units: Int64(100_000 + i % 900_000)), currency: eur, timestamp: t0 + Int64(i),
                    terminalID: "t\(i % 10_000)", mcc: 5411, country: "FR", channel: "card_present", latitude: 48.8,
                    longitude: 2.3))
        }
        let s = engine.statistics
        print("engine: \(s.activeCards) cards, \(s.activeTerminals) terminals, \(s.pendingCount) pending labels (built in \(GenerateCommand.formatted((ContinuousClock.now - built).seconds, 1)) s)")
        let directory = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("fraudstream-bench-\(UUID().uuidString)").path
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let store = CheckpointStore(directory: directory, keep: 2)
        var copy: [Double] = []
        var serialise: [Double] = []
        var write: [Double] = []
        var restore: [Double] = []
        var size = 0
        var spare: Engine?
        for run in 1...runs {
            let z = ContinuousClock.now
            // As the live processor does: the previous snapshot's memory is reused.
            let snapshot = engine.snapshot(reusing: spare)
            let a = ContinuousClock.now
            let state = snapshot.checkpoint()
            spare = snapshot
            let b = ContinuousClock.now
            copy.append((a - z).seconds * 1000)
            let checkpoint = ProcessorCheckpoint(
                sequence: UInt64(run), createdAt: Int64(Date().timeIntervalSince1970 * 1000), groupID: "bench",
                stateVersion: s.eventsProcessed, eventTime: engine.currentTime, modelVersion: "bench",
                offsets: [KafkaTopicPartition(topic: "transactions", partition: 0): Int64(cards)], engineState: state)
            let path = try store.write(checkpoint)
            let c = ContinuousClock.now
            let loaded = try CheckpointStore.load(path: path)
            let restored = try Engine(checkpoint: loaded.engineState, verifiedByEnclosingChecksum: true)
            let d = ContinuousClock.now
            guard restored.statistics.activeCards == s.activeCards else {
                throw CommandFailure("bench checkpoint: the restored engine has \(restored.statistics.activeCards) cards, not \(s.activeCards)")
            }
            size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            serialise.append((b - a).seconds * 1000)
            write.append((c - b).seconds * 1000)
            restore.append((d - c).seconds * 1000)
            print("run \(run): snapshot \(Int(copy.last!)) ms\(run == 1 ? " (fresh memory)" : " (into the previous snapshot's memory)"), serialise \(Int(serialise.last!)) ms, write + fsync \(Int(write.last!)) ms (\(size / 1_000_000) MB), read + check + restore \(Int(restore.last!)) ms")
        }
        func median(_ values: [Double]) -> Int { Int(values.sorted()[values.count / 2]) }
        let reused = copy.count > 1 ? median(Array(copy.dropFirst())) : median(copy)
        print("median of \(runs): processing held up (snapshot) \(reused) ms (the first, into fresh memory: \(Int(copy[0])) ms); in the background: serialise \(median(serialise)) ms, write + fsync \(median(write)) ms; restore \(median(restore)) ms; file \(size / 1_000_000) MB, \(size / max(cards, 1)) bytes per card")
    }
}
