import FraudEngine
import FraudModels
import FraudPipeline
import Foundation
import RdKafka
import Testing

/// Incremental checkpoints in a directory: a chain (full + deltas) restores the engine
/// exactly; pruning keeps what the kept ones build on; a broken or stale chain is refused
/// with the reason and the next older usable checkpoint is taken.
@Suite struct IncrementalCheckpointTests {
    let modelVersion = ModelVersion(configuration: .default).prefix

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Scores transactions `range` (cards and merchants reused, so later ones change
    /// existing entities as well as adding new ones).
    func score(_ engine: Engine, _ range: Range<Int>) throws {
        for i in range {
            let json = #"{"transaction_id":"t\#(i)","card_id":"c\#(i % 37)","merchant_id":"m\#(i % 5)","amount":\#(10 + i % 90),"currency":"EUR","timestamp":\#(1_775_000_000_000 + Int64(i) * 60_000)}"#
            _ = try engine.score(try TransactionDecoder().decode(json))
        }
    }

    /// Writes checkpoints 1...n of `engine` into `store`, 100 transactions apart: the first
    /// full, the others incremental over the one before (as the live processor writes them).
    func writeChain(_ store: CheckpointStore, _ engine: Engine, count n: Int, run: String = "r1") throws -> [ProcessorCheckpoint] {
        var written: [ProcessorCheckpoint] = []
        for sequence in 1...n {
            try score(engine, ((sequence - 1) * 100)..<(sequence * 100))
            let delta = engine.takeDelta()
            let base = written.last?.asBase
            let c = ProcessorCheckpoint(
                sequence: UInt64(sequence), createdAt: 1_790_000_000_000, groupID: "g",
                stateVersion: engine.statistics.eventsProcessed, eventTime: engine.currentTime,
                modelVersion: modelVersion, run: run,
                offsets: [KafkaTopicPartition(topic: "transactions", partition: 0): Int64(sequence * 100)],
                engineState: base == nil ? engine.checkpoint() : delta.encoded(), base: base)
            try store.write(c)
            written.append(c)
        }
        return written
    }

    @Test func aChainRestoresTheEngineExactly() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory, keep: 10)
        let engine = Engine(configuration: .default)
        let written = try writeChain(store, engine, count: 4)
        #expect(written.map(\.isIncremental) == [false, true, true, true])

        let chain = try #require(try store.newestValidChain())
        #expect(chain.map(\.sequence) == [1, 2, 3, 4])
        let restored = try store.restoreEngine(chain: chain)
        let same = restored.checkpoint() == engine.checkpoint()
        #expect(same)
        // Any checkpoint of the chain restores its own moment.
        let second = try store.restoreEngine(try store.load(sequence: 2))
        #expect(second.statistics.transactionsScored == 200)
        // And the restored engine decides like the original from then on.
        try score(restored, 400..<450)
        try score(engine, 400..<450)
        let after = restored.checkpoint() == engine.checkpoint()
        #expect(after)
    }

    @Test func pruningKeepsTheFilesTheNewestBuildOn() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory, keep: 2)
        _ = try writeChain(store, Engine(configuration: .default), count: 5)
        // The newest two are incremental: everything back to the full checkpoint 1 stays.
        var names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == (1...5).map { CheckpointStore.fileName(sequence: $0) })
        // A full checkpoint 6, then an incremental 7 over it: 1...5 are no longer needed.
        let engine = try store.restoreEngine(try store.load(sequence: 5))
        try score(engine, 500..<600)
        _ = engine.takeDelta()
        let full = ProcessorCheckpoint(
            sequence: 6, createdAt: 0, groupID: "g", stateVersion: engine.statistics.eventsProcessed,
            eventTime: engine.currentTime, modelVersion: modelVersion, run: "r1", offsets: [:],
            engineState: engine.checkpoint())
        try store.write(full)
        try score(engine, 600..<700)
        try store.write(
            ProcessorCheckpoint(
                sequence: 7, createdAt: 0, groupID: "g", stateVersion: engine.statistics.eventsProcessed,
                eventTime: engine.currentTime, modelVersion: modelVersion, run: "r1", offsets: [:],
                engineState: engine.takeDelta().encoded(), base: full.asBase))
        names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == [6, 7].map { CheckpointStore.fileName(sequence: $0) })
        let restored = try store.restoreEngine(try #require(try store.newestValid()))
        let same = restored.checkpoint() == engine.checkpoint()
        #expect(same)
    }

    @Test func aBrokenChainIsSkippedWithItsReason() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory, keep: 10)
        let engine = Engine(configuration: .default)
        _ = try writeChain(store, engine, count: 4)
        // Damage checkpoint 3: 3 and 4 (which builds on it) are unusable; 2 is taken.
        let third = store.path(sequence: 3)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: third)))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: third))
        var skipped: [(UInt64, String)] = []
        let chosen = try store.newestValid { entry, error in skipped.append((entry.sequence, "\(error)")) }
        #expect(chosen?.sequence == 2)
        #expect(skipped.map(\.0) == [4, 3])
        #expect(skipped[0].1.contains("builds on checkpoint 3"), "\(skipped[0].1)")
        #expect(skipped[1].1.contains("checksum"), "\(skipped[1].1)")
    }

    @Test func aStaleFileUnderTheBaseNameIsNotTakenForTheBase() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory, keep: 10)
        _ = try writeChain(store, Engine(configuration: .default), count: 3)
        // Another run rewrites checkpoint 2 (it restored from 1 and went on differently):
        // checkpoint 3 of the first run no longer has its base.
        let other = try store.restoreEngine(try store.load(sequence: 1))
        try score(other, 1000..<1050)
        let one = try store.load(sequence: 1)
        try store.write(
            ProcessorCheckpoint(
                sequence: 2, createdAt: 0, groupID: "g", stateVersion: other.statistics.eventsProcessed,
                eventTime: other.currentTime, modelVersion: modelVersion, run: "r2", offsets: [:],
                engineState: other.takeDelta().encoded(), base: one.asBase))
        #expect {
            try store.restoreEngine(try store.load(sequence: 3))
        } throws: { error in
            "\(error)".contains("was written after checkpoint 2 of run r1") && "\(error)".contains("holds run r2")
        }
        #expect(try store.newestValid()?.sequence == 2)
    }
}
