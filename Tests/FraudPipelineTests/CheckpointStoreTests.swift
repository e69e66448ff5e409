import FraudEngine
import FraudModels
import FraudPipeline
import Foundation
import RdKafka
import Testing

/// Checkpoint files: round trip, atomic names, damage detected and skipped, pruning.
@Suite struct CheckpointStoreTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A checkpoint of a real engine that has scored a few transactions.
    func checkpoint(sequence: UInt64) throws -> (ProcessorCheckpoint, Engine) {
        let engine = Engine(configuration: .default)
        for i in 0..<50 {
            let json = #"{"transaction_id":"t\#(i)","card_id":"c\#(i % 7)","merchant_id":"m1","amount":\#(10 + i),"currency":"EUR","timestamp":\#(1_775_000_000_000 + Int64(i) * 60_000)}"#
            _ = try engine.score(try TransactionDecoder().decode(json))
        }
        let c = ProcessorCheckpoint(
            sequence: sequence, createdAt: 1_790_000_000_000 + Int64(sequence), groupID: "fraudstream",
            stateVersion: 50, eventTime: engine.currentTime, modelVersion: ModelVersion(configuration: .default).prefix,
            offsets: [
                KafkaTopicPartition(topic: "transactions", partition: 1): 42,
                KafkaTopicPartition(topic: "labels", partition: 0): 7,
            ],
            engineState: engine.checkpoint())
        return (c, engine)
    }

    @Test func writtenCheckpointReadsBackAndRestoresTheEngine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory + "/nested", keep: 3)
        let (original, engine) = try checkpoint(sequence: 9)
        let path = try store.write(original)
        #expect(path.hasSuffix("/checkpoint-00000000000000000009.ckpt"))
        let loaded = try #require(try store.newestValid())
        #expect(loaded == original)
        #expect(loaded.sortedOffsets.map(\.partition.topic) == ["labels", "transactions"])
        // The engine restored from it continues exactly like the original.
        let restored = try Engine(checkpoint: loaded.engineState)
        let next = try TransactionDecoder().decode(
            #"{"transaction_id":"next","card_id":"c1","merchant_id":"m1","amount":99,"currency":"EUR","timestamp":1775003600000}"#)
        #expect(try restored.score(next).score == (try engine.score(next)).score)
        // No temporary file is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/nested")
        #expect(names == ["checkpoint-00000000000000000009.ckpt"])
    }

    @Test func damagedAndTruncatedCheckpointsAreSkippedForTheNextOlder() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory, keep: 5)
        for sequence in 1...3 { try store.write(try checkpoint(sequence: UInt64(sequence)).0) }
        // Newest: one flipped byte in the middle. Second: cut short.
        let newest = directory + "/" + CheckpointStore.fileName(sequence: 3)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: newest)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: newest))
        let second = directory + "/" + CheckpointStore.fileName(sequence: 2)
        let full = try Data(contentsOf: URL(fileURLWithPath: second))
        try full.prefix(full.count - 100).write(to: URL(fileURLWithPath: second))

        var skipped: [(UInt64, String)] = []
        let chosen = try store.newestValid { entry, error in skipped.append((entry.sequence, "\(error)")) }
        #expect(chosen?.sequence == 1)
        #expect(skipped.map(\.0) == [3, 2])
        #expect(skipped[0].1.contains("checksum"), "\(skipped[0].1)")
        #expect(skipped[1].1.contains("truncated"), "\(skipped[1].1)")
        #expect(skipped.allSatisfy { $0.1.contains(directory) }, "errors name the file")
        let entries = try store.entries()
        #expect(entries.map(\.sequence) == [3, 2, 1])
        #expect(entries.map { (try? $0.checkpoint.get()) != nil } == [false, false, true])
    }

    @Test func onlyTheNewestAreKeptAndLeftoverTemporariesRemoved() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CheckpointStore(directory: directory, keep: 2)
        _ = FileManager.default.createFile(atPath: directory + "/.checkpoint-00000000000000000001.ckpt.tmp-123", contents: Data([1, 2]))
        _ = FileManager.default.createFile(atPath: directory + "/notes.txt", contents: Data("keep me".utf8))
        for sequence in [4, 5, 6] as [UInt64] { try store.write(try checkpoint(sequence: sequence).0) }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == [CheckpointStore.fileName(sequence: 5), CheckpointStore.fileName(sequence: 6), "notes.txt"])
    }

    @Test func otherFilesAreNotCheckpoints() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (c, _) = try checkpoint(sequence: 1)
        // The engine's own state is a state file of another kind: refused, named.
        let path = directory + "/" + CheckpointStore.fileName(sequence: 1)
        try Data(c.engineState).write(to: URL(fileURLWithPath: path))
        #expect(throws: CheckpointError.self) { try CheckpointStore.load(path: path) }
        do {
            _ = try CheckpointStore.load(path: path)
        } catch {
            #expect("\(error)".contains("kind"), "\(error)")
        }
        #expect(try CheckpointStore(directory: directory + "/missing").newestValid() == nil)
    }
}
