import FraudEngine
import FraudPipeline
import FraudRules
import FraudSimulator
import Foundation
import RdKafka
import Testing

extension FraudPipelineTests {
    /// `exactlyOnce`: outputs and input offsets commit in Kafka transactions. A restart
    /// continues after what the transactions committed; a restart from an older checkpoint
    /// catches the engine up silently to the committed offsets and outputs nothing twice,
    /// and its later decisions are those of an engine that never stopped.
    ///
    /// What the embedded broker cannot show: it runs the transactions (init, begin, offsets,
    /// commit) but does not hide aborted messages from read_committed readers, so aborts are
    /// not exercised here.
    @Suite struct ExactlyOnceTests {
        @Test func transactionsCommitOffsetsAndARestartFromAnOlderCheckpointOutputsNothingTwice() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 3, "labels": 1, "alerts": 1, "decisions": 2, "dead-letter": 1],
                logger: testLogger)
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("eos-\(UUID().uuidString)").path
            let directory = base + "/live"
            let older = base + "/older"
            defer { try? FileManager.default.removeItem(atPath: base) }

            var stream = try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 120, terminals: 240, days: 9, seed: 21))
            var events: [SimulatedEvent] = []
            while let event = stream.next() { events.append(event) }
            let start = events.first!.time
            var nextID = 0
            func messages(_ part: ArraySlice<SimulatedEvent>) -> [KafkaProducerMessage] {
                var out: [KafkaProducerMessage] = []
                for event in part {
                    defer { nextID += 1 }
                    switch event {
                    case .transaction(let t):
                        out.append(KafkaProducerMessage(
                            topic: "transactions", key: Array(t.transaction.cardID.utf8),
                            value: TransactionEncoder().encode(t.transaction), id: UInt64(nextID)))
                    case .label(let label):
                        out.append(KafkaProducerMessage(
                            topic: "labels", key: Array(label.transactionID.utf8), value: LabelEncoder().encode(label),
                            timestamp: label.reportedAt, id: UInt64(nextID)))
                    case .compromise: break
                    }
                }
                return out
            }
            let cut1 = events.firstIndex { $0.time >= start + 3 * 86_400_000 }!
            let cut2 = events.firstIndex { $0.time >= start + 6 * 86_400_000 }!
            let parts = [messages(events[..<cut1]), messages(events[cut1..<cut2]), messages(events[cut2...])]
            let producer = try producer(cluster)
            var reports = try await produceAll(producer, parts[0])

            var configuration = pipelineConfiguration(cluster, group: "eos")
            configuration.exactlyOnce = true
            configuration.checkpointDirectory = directory
            configuration.checkpointInterval = .seconds(3600)

            // Run A: part 1, checkpointed at the stop; keep a copy of that checkpoint.
            let runA = RunningProcessor(configuration, rules: .builtIn)
            try await runA.waitForInput(parts[0].count)
            try await runA.stop()
            #expect(runA.processor.statistics.transactionsCommitted >= 1)
            #expect(runA.processor.statistics.transactionsAborted == 0)
            try FileManager.default.copyItem(atPath: directory, toPath: older)

            // Run B: only part 2 (part 1's offsets were committed by the transactions).
            reports.merge(try await produceAll(producer, parts[1])) { a, _ in a }
            let runB = RunningProcessor(configuration, rules: .builtIn)
            try await runB.waitForInput(parts[1].count)
            try await Task.sleep(for: .seconds(1))
            try await runB.stop()
            let statsB = runB.processor.statistics
            #expect(statsB.transactionMessages + statsB.labelMessages == parts[1].count, "nothing of part 1 again")
            #expect(statsB.transactionsCommitted >= 1)

            // Run C from the older checkpoint (end of part 1): part 2 is caught up silently,
            // part 3 decided and output.
            try FileManager.default.removeItem(atPath: directory)
            try FileManager.default.copyItem(atPath: older, toPath: directory)
            reports.merge(try await produceAll(producer, parts[2])) { a, _ in a }
            try await producer.close()
            let runC = RunningProcessor(configuration, rules: .builtIn)
            try await runC.waitForInput(parts[2].count)
            try await Task.sleep(for: .seconds(1))
            try await runC.stop()
            let statsC = runC.processor.statistics
            #expect(statsC.caughtUpMessages == parts[1].count, "part 2 applied again without output")
            #expect(statsC.transactionMessages + statsC.labelMessages == parts[2].count)
            #expect(statsC.deadLetterCount == 0, "\(statsC.deadLetters)")

            // Every transaction decided exactly once on the decisions topic.
            let all = parts.flatMap { $0 }
            let transactions = all.filter { $0.topic == "transactions" }.count
            let records = try await readTopic(cluster, "decisions", count: transactions)
            let ids = records.compactMap { $0.json["transaction_id"] as? String }
            #expect(ids.count == transactions)
            #expect(Set(ids).count == ids.count, "\(ids.count - Set(ids).count) transactions decided twice")

            // Run C's decisions equal an engine's that saw everything in order.
            let expected = try offlineDecisions(all, reports: reports, configuration: configuration.engine)
            let runCID = try #require(runC.processor.currentRun?.id)
            var compared = 0
            var differing: [String] = []
            for record in records where record.json["run"] as? String == runCID {
                guard let tx = record.json["transaction_id"] as? String, let want = expected[tx] else { continue }
                compared += 1
                if let mismatch = decisionMismatch(record, expected: want) { differing.append(mismatch) }
            }
            #expect(compared == parts[2].filter { $0.topic == "transactions" }.count)
            #expect(differing.isEmpty, "\(differing.count) differ after the catch-up, first: \(differing.prefix(3))")
        }
    }
}
