import FraudEngine
import FraudPipeline
import FraudRules
import Foundation
import RdKafka
import Synchronization
import Testing

extension FraudPipelineTests {
    /// With checkpoints on, a rebalance makes the member that loses partitions write a
    /// checkpoint before they move, and a member given back partitions its checkpoint covers
    /// resumes there. Nothing is skipped. (The embedded broker refuses offset commits while a
    /// rebalance is in progress, REBALANCE_IN_PROGRESS, where a real broker accepts the
    /// revoking member's commit: so here a partition that moves to another member is read
    /// again from the last commit before the rebalance, at least once, as documented.)
    @Suite struct CheckpointRevokeTests {
        @Test func revokeWritesACheckpointBeforePartitionsMove() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 4, "labels": 4, "alerts": 1, "decisions": 2, "dead-letter": 1],
                logger: testLogger)
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: base) }
            func transactions(_ range: Range<Int>) -> [KafkaProducerMessage] {
                range.map { i in
                    let json = transactionJSON(
                        id: "tx-\(i)", card: "card-\(i % 40)", amount: "\(10 + i % 90).50",
                        timestamp: RFC3339.format(1_775_000_000_000 + Int64(i) * 30_000))
                    return KafkaProducerMessage(
                        topic: "transactions", key: Array("card-\(i % 40)".utf8), value: Array(json.utf8), id: UInt64(i))
                }
            }
            let producer = try producer(cluster)
            _ = try await produceAll(producer, transactions(0..<400))

            func configuration(_ member: String) -> PipelineConfiguration {
                var c = pipelineConfiguration(cluster, group: "shared")
                c.checkpointDirectory = base + "/" + member
                c.checkpointInterval = .seconds(3600)
                return c
            }
            let a = RunningProcessor(configuration("a"), rules: .builtIn)
            try await a.waitForInput(400)
            #expect(a.processor.statistics.checkpoints == 0)

            // B joins: A's partitions are revoked (all of them, eager rebalance) and A writes a
            // checkpoint before they move.
            let b = RunningProcessor(configuration("b"), rules: .builtIn)
            try await eventually(60, "a checkpoint on revoke") { a.processor.statistics.checkpoints >= 1 }
            let saved = try #require(try CheckpointStore(directory: base + "/a").newestValid())
            #expect(saved.stateVersion == 400)
            #expect(saved.offsets.filter { $0.key.topic == "transactions" }.values.reduce(0, +) == 400)

            // More input after the rebalance: shared between A and B.
            _ = try await produceAll(producer, transactions(400..<600))
            try await producer.close()
            // Wait for every transaction to be decided (not for a count: moved partitions are
            // read again, so duplicates would reach 600 first).
            let watcher = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    bootstrapServers: [cluster.bootstrapServers], groupID: "watcher", autoOffsetReset: .earliest),
                topics: ["decisions"], logger: testLogger)
            let decided = Mutex(Set<String>())
            let watching = Task {
                for try await batch in watcher.batches {
                    let ids = batch.compactMap { message in
                        message.value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }?["transaction_id"] as? String
                    }
                    decided.withLock { $0.formUnion(ids) }
                }
            }
            try await eventually(120, "600 transactions decided") { decided.withLock { $0.count } >= 600 }
            try await watcher.close()
            watching.cancel()
            try await a.stop()
            try await b.stop()
            let scoredA = a.processor.statistics.transactionsScored
            let scoredB = b.processor.statistics.transactionsScored
            // A got back half of the partitions and resumed them at its checkpoint: it never
            // redid its own work.
            #expect(scoredA <= 600 && scoredA > 400, "a scored \(scoredA)")
            #expect(scoredA + scoredB >= 600)

            let records = try await readTopic(cluster, "decisions", count: scoredA + scoredB)
            let ids = records.compactMap { $0.json["transaction_id"] as? String }
            #expect(Set(ids).count == 600, "every transaction decided")
            #expect(ids.count == scoredA + scoredB, "one record per scoring")
            // What was decided twice was decided first by A before the rebalance, then by B.
            var seen: [String: Int] = [:]
            for id in ids { seen[id, default: 0] += 1 }
            let twice = seen.filter { $0.value > 1 }.keys
            #expect(twice.allSatisfy { Int($0.dropFirst(3))! < 400 }, "only pre-rebalance work is repeated")
            #expect(seen.values.allSatisfy { $0 <= 2 })
        }
    }
}
