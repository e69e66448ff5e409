import FraudEngine
import FraudPipeline
import FraudRules
import FraudSimulator
import Foundation
import RdKafka
import Testing

extension FraudPipelineTests {
    /// Two live runs on the embedded broker (the second restores the first's checkpoint), with
    /// checkpoints along the way; the audit, from the decisions topic, the checkpoint directory
    /// and the input topics alone, re-derives every recorded decision byte for byte, and
    /// reports a tampered record, a lost one and an unknown transaction.
    @Suite struct AuditTests {
        @Test func recordedLiveDecisionsAreReproducedExactlyAndTamperingIsCaught() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 3, "labels": 2, "alerts": 1, "decisions": 2, "dead-letter": 1],
                logger: testLogger)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }

            var stream = try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 150, terminals: 300, days: 10, seed: 11))
            var events: [SimulatedEvent] = []
            while let event = stream.next() { events.append(event) }
            let split = events.first!.time + 6 * 86_400_000
            var nextID = 0
            func messages(_ part: [SimulatedEvent]) -> [KafkaProducerMessage] {
                var out: [KafkaProducerMessage] = []
                for event in part {
                    defer { nextID += 1 }
                    switch event {
                    case .transaction(let t):
                        out.append(KafkaProducerMessage(
                            topic: "transactions", key: Array(t.transaction.cardID.utf8),
                            value: TransactionEncoder().encode(t.transaction), id: UInt64(nextID)))
                    case .label(let label):
                        // No reported_at in the payload: the message timestamp is the default,
                        // which the audit must use exactly as the live processor did.
                        var json = String(decoding: LabelEncoder().encode(label), as: UTF8.self)
                        json = json.replacingOccurrences(
                            of: #","reported_at":"[^"]*""#, with: "", options: .regularExpression)
                        out.append(KafkaProducerMessage(
                            topic: "labels", key: Array(label.transactionID.utf8), value: Array(json.utf8),
                            timestamp: label.reportedAt, id: UInt64(nextID)))
                    case .compromise: break
                    }
                }
                return out
            }
            let first = messages(events.filter { $0.time < split })
            let second = messages(events.filter { $0.time >= split })
            let transactions = (first + second).filter { $0.topic == "transactions" }.count
            let producer = try producer(cluster)
            _ = try await produceAll(producer, first)

            var configuration = pipelineConfiguration(cluster, group: "live")
            configuration.checkpointDirectory = directory
            configuration.checkpointInterval = .seconds(3600)
            configuration.checkpointEveryEvents = 1_000
            let rules = try RuleSet(yaml: """
                version: audit-test-1
                thresholds: {review: 0.3, alert: 0.5, block: 0.8}
                rules:
                  - {id: big, action: review, when: {amount: {min: 150}}}
                """)
            let run1 = RunningProcessor(configuration, rules: rules)
            try await run1.waitForInput(first.count)
            try await run1.stop()
            _ = try await produceAll(producer, second)
            try await producer.close()
            let run2 = RunningProcessor(configuration, rules: rules)
            try await run2.waitForInput(second.count)
            try await Task.sleep(for: .seconds(1))
            try await run2.stop()
            let runIDs = [run1.processor.currentRun!.id, run2.processor.currentRun!.id]
            #expect(run2.processor.currentRun?.origin != nil, "run 2 restored run 1's checkpoint")

            // The decision log, exactly as written (reads may repeat nothing: one group, no crash).
            let kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            let log = try await readDecisionLog(kafka)
            #expect(log.count == transactions)
            #expect(Set(log.map(\.run)) == Set(runIDs))
            #expect(log.contains { !($0.labelsBefore ?? []).isEmpty }, "labels were applied between decisions")

            // Replays from the topics reproduce the recorded decisions: from scratch all of
            // them (run 2 continued run 1's exact state), and from run 2's starting checkpoint
            // (reading from its offsets) run 2's.
            let recorded = Dictionary(uniqueKeysWithValues: log.map { ($0.transactionID, $0) })
            func replay(from checkpoint: ProcessorCheckpoint?) async throws -> (compared: Int, differing: [String]) {
                var ranges = try await KafkaRangeReader.resolve(
                    topics: ["transactions", "labels"], from: .beginning, to: .end, configuration: kafka)
                for i in ranges.indices { if let start = checkpoint?.offsets[ranges[i].topicPartition] { ranges[i].start = start } }
                let engine = try checkpoint.map { try CheckpointStore(directory: directory).restoreEngine($0) } ?? Engine(configuration: configuration.engine)
                let core = ReplayCore(engine: engine, rules: rules, run: "replay")
                let history = KafkaHistory(
                    configuration: kafka, ranges: ranges, transactionsTopic: "transactions", labelsTopic: "labels",
                    maxMessageBytes: configuration.maxMessageBytes)
                var compared = 0
                var differing: [String] = []
                try await history.forEach { event in
                    guard case .decided(let decision, _) = core.apply(event, processedAt: 0) else { return }
                    let mine = try DecisionRecord.decode(core.record, location: "replay")
                    guard let theirs = recorded[decision.transactionID] else {
                        differing.append("\(decision.transactionID): not in the log")
                        return
                    }
                    compared += 1
                    if mine.stateVersion != theirs.stateVersion || mine.score.bitPattern != theirs.score.bitPattern
                        || mine.action != theirs.action || mine.ruleIDs != theirs.ruleIDs || mine.reasons != theirs.reasons
                        || mine.labelsBefore != theirs.labelsBefore || mine.source != theirs.source
                    {
                        differing.append("\(decision.transactionID): replayed v\(mine.stateVersion) \(mine.score), recorded v\(theirs.stateVersion) \(theirs.score)")
                    }
                }
                #expect(history.releasedEarly == 0)
                return (compared, differing)
            }
            let fromScratch = try await replay(from: nil)
            #expect(fromScratch.compared == transactions)
            #expect(fromScratch.differing.isEmpty, "\(fromScratch.differing.count) differ, first: \(fromScratch.differing.prefix(3))")
            let origin = try #require(run2.processor.currentRun?.origin)
            let start = try CheckpointStore.load(path: directory + "/" + CheckpointStore.fileName(sequence: origin.sequence))
            let fromCheckpoint = try await replay(from: start)
            #expect(fromCheckpoint.compared == log.filter { $0.run == runIDs[1] }.count)
            #expect(fromCheckpoint.differing.isEmpty, "\(fromCheckpoint.differing.count) differ, first: \(fromCheckpoint.differing.prefix(3))")

            func auditor(_ records: [DecisionRecord]) -> Auditor {
                Auditor(
                    records: records, checkpointDirectory: directory, engineConfiguration: configuration.engine,
                    rules: [rules], fetcher: KafkaHistoryFetcher(configuration: kafka))
            }
            // Everything.
            let all = try await auditor(log).audit(.eventTime(from: 0, to: Int64.max))
            #expect(all.entries.count == transactions)
            #expect(all.mismatches == 0, "\(all.entries.first { !$0.matches }?.differences ?? [])")
            #expect(all.runs.count == 2)

            // One transaction late in run 2: starts from a checkpoint, not from scratch.
            let late = try #require(log.filter { $0.run == runIDs[1] }.max { $0.stateVersion < $1.stateVersion })
            let one = try await auditor(log).audit(.transaction(late.transactionID))
            #expect(one.entries.count == 1 && one.mismatches == 0)
            #expect(one.runs.first?.base.hasPrefix("checkpoint") == true, "\(one.runs.first?.base ?? "")")
            #expect(one.runs.first.map { $0.firstVersion > 0 } == true)

            // A tampered score is a mismatch that names the field.
            let victim = log.filter { $0.run == runIDs[0] }[log.count / 4]
            var tampered = log
            let index = tampered.firstIndex { $0.location == victim.location }!
            let text = String(decoding: victim.bytes, as: UTF8.self)
            let recordedScore = try #require(text.range(of: #""score":[0-9.e-]+"#, options: .regularExpression))
            let forged = text.replacingCharacters(in: recordedScore, with: #""score":0.999"#)
            tampered[index] = try DecisionRecord.decode(Array(forged.utf8), location: victim.location)
            let caught = try await auditor(tampered).audit(.transaction(victim.transactionID))
            #expect(caught.mismatches == 1)
            #expect(caught.entries.first?.differences.first?.hasPrefix("score: recorded 0.999") == true, "\(caught.entries.first?.differences ?? [])")

            // A lost record before an audited decision is a gap, not a silently different history.
            let runOne = log.filter { $0.run == runIDs[0] }.sorted { $0.stateVersion < $1.stateVersion }
            let lost = runOne[runOne.count / 2]
            do {
                _ = try await auditor(log.filter { $0.location != lost.location }).audit(.eventTime(from: 0, to: Int64.max))
                Issue.record("a lost record must be an error")
            } catch let error as AuditError {
                #expect(error.description.contains("has a gap"), "\(error)")
            }

            // A transaction that is not in the log.
            do {
                _ = try await auditor(log).audit(.transaction("tx-not-there"))
                Issue.record("an unknown transaction must be an error")
            } catch let error as AuditError {
                #expect(error.description.contains("tx-not-there is not in the decision log"))
            }
        }

        private func readDecisionLog(_ kafka: KafkaConfiguration) async throws -> [DecisionRecord] {
            let reader = try await KafkaRangeReader(configuration: kafka, topics: ["decisions"], from: .beginning, to: .end)
            var records: [DecisionRecord] = []
            for try await message in reader.messages {
                records.append(try DecisionRecord.decode(
                    Array(message.value ?? []), location: "decisions[\(message.partition)]@\(message.offset)"))
            }
            await reader.close()
            return records
        }
    }
}
