import FraudEngine
import FraudPipeline
import Foundation
import RdKafka
import Testing

/// `fraudstream checkpoint list|inspect` on a real checkpoint directory.
@Suite struct CheckpointCommandTests {
    @Test func listAndInspectShowCheckpointsAndNameTheDamagedOne() throws {
        let directory = try FraudStreamCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = CheckpointStore(directory: directory.path)
        let engine = Engine(configuration: .default)
        for sequence in [1, 2] as [UInt64] {
            for i in 0..<10 {
                let json = #"{"transaction_id":"t\#(sequence)-\#(i)","card_id":"c\#(i)","merchant_id":"m","amount":12.5,"currency":"EUR","timestamp":\#(1_775_000_000_000 + Int64(sequence * 100 + UInt64(i)) * 1000)}"#
                _ = try engine.score(try TransactionDecoder().decode(json))
            }
            try store.write(ProcessorCheckpoint(
                sequence: sequence, createdAt: 1_790_000_000_000, groupID: "fraudstream", stateVersion: sequence * 10,
                eventTime: engine.currentTime, modelVersion: "engine-test",
                offsets: [KafkaTopicPartition(topic: "transactions", partition: 3): Int64(sequence * 10)],
                engineState: engine.checkpoint()))
        }
        // Damage the newest.
        let newest = directory.appendingPathComponent(CheckpointStore.fileName(sequence: 2))
        var bytes = [UInt8](try Data(contentsOf: newest))
        bytes[40] ^= 1
        try Data(bytes).write(to: newest)

        let list = try FraudStreamCLI.run(["checkpoint", "list", "--dir", directory.path])
        #expect(list.status == 0, "stderr: \(list.stderr)")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(list.stdout)")
        #expect(lines.count == 3 && lines[1].hasPrefix("2 ") && lines[1].contains("UNUSABLE") && lines[1].contains("checksum"))
        #expect(lines.count == 3 && lines[2].hasPrefix("1 ") && lines[2].hasSuffix("ok"))

        let inspect = try FraudStreamCLI.run(["checkpoint", "inspect", "--dir", directory.path])
        #expect(inspect.status == 0, "stderr: \(inspect.stderr)")
        #expect(inspect.stderr.contains("skipping") && inspect.stderr.contains(CheckpointStore.fileName(sequence: 2)))
        #expect(inspect.stdout.contains("sequence       1"))
        #expect(inspect.stdout.contains("transactions[3]  10"))
        #expect(inspect.stdout.contains("transactions scored  10"))

        let damaged = try FraudStreamCLI.run(["checkpoint", "inspect", newest.path])
        #expect(damaged.status != 0)
        #expect(damaged.stderr.contains(newest.path) && damaged.stderr.contains("checksum"), "stderr: \(damaged.stderr)")
        let neither = try FraudStreamCLI.run(["checkpoint", "inspect"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--dir"))
    }
}
