import FraudEngine
import FraudPipeline
import FraudRules
import FraudSimulator
import Foundation
import RdKafka
import Testing

extension FraudPipelineTests {
    /// A processor with a checkpoint directory stops; a new one (another group, so no
    /// committed offsets help it) restores the checkpoint, reads only what came after, and
    /// decides exactly as an engine that never stopped. With `incremental`, run 1 writes a
    /// checkpoint every few hundred events, so that what run 2 restores is a chain: a full
    /// checkpoint and the incremental ones after it. With `allPartitions`, both processors
    /// read every partition without joining a group.
    ///
    /// "Never stopped" means the same events in the same order: the order the runs logged
    /// (see ``offlineDecisions(loggedIn:messages:reports:labelsTopic:configuration:)``), since
    /// the merge order across partitions depends on arrival timing.
    @Suite struct CheckpointRestoreTests {
        @Test(arguments: [(false, KafkaPartitionAssignment.group), (true, .group), (false, .allPartitions)])
        func restoreContinuesFromTheCheckpointOffsetsWithTheSameEngineState(
            incremental: Bool, assignment: KafkaPartitionAssignment
        ) async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 3, "labels": 1, "alerts": 1, "decisions": 2, "dead-letter": 1],
                logger: testLogger)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }

            var stream = try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 200, terminals: 400, days: 12, seed: 5))
            var events: [SimulatedEvent] = []
            while let event = stream.next() { events.append(event) }
            let split = events.first!.time + 7 * 86_400_000
            func messages(_ part: [SimulatedEvent], firstID: Int) -> [KafkaProducerMessage] {
                var out: [KafkaProducerMessage] = []
                for event in part {
                    let id = UInt64(firstID + out.count)
                    switch event {
                    case .transaction(let t):
                        out.append(KafkaProducerMessage(
                            topic: "transactions", key: Array(t.transaction.cardID.utf8),
                            value: TransactionEncoder().encode(t.transaction), id: id))
                    case .label(let label):
                        out.append(KafkaProducerMessage(
                            topic: "labels", key: Array(label.transactionID.utf8), value: LabelEncoder().encode(label),
                            timestamp: label.reportedAt, id: id))
                    case .compromise: break
                    }
                }
                return out
            }
            let first = messages(events.filter { $0.time < split }, firstID: 0)
            let second = messages(events.filter { $0.time >= split }, firstID: first.count)
            let producer = try producer(cluster)
            // The first week goes in two halves, the second once the first is processed, so that
            // run 1 processes it in at least two chunks whatever the machine's timing (an
            // incremental checkpoint is due after every 100 events, at the end of a chunk).
            let firstHalf = Array(first.prefix(first.count / 2))
            var reports = try await produceAll(producer, firstHalf)

            // Run 1: the first week, checkpointed at shutdown only (long interval).
            var configuration = pipelineConfiguration(cluster, group: "before")
            configuration.checkpointDirectory = directory
            configuration.checkpointInterval = .seconds(3600)
            configuration.assignment = assignment
            if incremental {
                // Small batches: a loaded machine must not take the whole week in one chunk.
                configuration.checkpointEveryEvents = 100
                configuration.maxBatchSize = 64
                configuration.checkpointKeep = 100
            }
            let run1 = RunningProcessor(configuration, rules: .builtIn)
            try await run1.waitForInput(firstHalf.count)
            reports.merge(try await produceAll(producer, Array(first.dropFirst(firstHalf.count)))) { a, _ in a }
            try await run1.waitForInput(first.count)
            try await run1.stop()
            let written = run1.processor.statistics.checkpoints
            let store = CheckpointStore(directory: directory)
            let saved = try #require(try store.newestValid())
            if incremental {
                #expect(written >= 2)
                let chain = try store.chain(endingWith: saved)
                #expect(chain.count >= 2, "restoring needs the full checkpoint and \(chain.count - 1) incremental ones")
                #expect(chain.first?.isIncremental == false)
                #expect(chain.dropFirst().allSatisfy { $0.isIncremental })
            } else {
                #expect(written == 1)
            }
            #expect(saved.sequence == UInt64(written))
            #expect(saved.stateVersion == UInt64(first.count))
            for (tp, next) in saved.offsets {
                let written = first.filter { reports[$0.id]?.topic == tp.topic && reports[$0.id]?.partition == tp.partition }
                #expect(next == Int64(written.count), "\(tp): checkpoint offset \(next), \(written.count) messages")
            }

            // Run 2: another group restores the checkpoint and gets the rest.
            reports.merge(try await produceAll(producer, second)) { a, _ in a }
            try await producer.close()
            configuration.groupID = "after"
            let run2 = RunningProcessor(configuration, rules: .builtIn)
            try await run2.waitForInput(second.count)
            try await Task.sleep(for: .seconds(1))
            try await run2.stop()
            let stats2 = run2.processor.statistics
            #expect(stats2.restoredFrom == saved.sequence)
            #expect(stats2.transactionMessages + stats2.labelMessages == second.count, "only what came after the checkpoint")
            #expect(stats2.deadLetterCount == 0, "\(stats2.deadLetters)")
            let newest = try store.newestValid()?.sequence
            #expect((newest ?? 0) > saved.sequence, "run 2 checkpointed after the restored one")

            // An engine that never stopped, over all events in the order the two runs applied
            // them (their decision log): run 1's decisions show that this order is the one
            // used, run 2's that the restored engine continued where run 1 stopped.
            let firstTransactions = first.filter { $0.topic == "transactions" }.count
            let secondTransactions = second.filter { $0.topic == "transactions" }.count
            let records = try await readTopic(cluster, "decisions", count: firstTransactions + secondTransactions)
            let expected = try offlineDecisions(
                loggedIn: records, messages: first + second, reports: reports, configuration: configuration.engine)
            var compared = (run1: 0, run2: 0)
            var differing: [String] = []
            for record in records {
                guard let tx = record.json["transaction_id"] as? String, let want = expected[tx] else { continue }
                if want.stateVersion >= saved.stateVersion { compared.run2 += 1 } else { compared.run1 += 1 }
                if let mismatch = decisionMismatch(record, expected: want) { differing.append(mismatch) }
            }
            #expect(compared.run1 == firstTransactions)
            #expect(compared.run2 == secondTransactions)
            let count = differing.count
            #expect(count == 0, "\(count) decisions differ, first: \(differing.prefix(3))")
        }
    }
}
