import FraudEngine
import FraudRules
import Foundation
import RdKafka
import Testing

@testable import FraudPipeline

extension FraudPipelineTests {
    /// The output stage alone, on the embedded broker: what ``ScoringCore`` relies on.
    @Suite struct OutputStageTests {
        static let topics = PipelineTopics()
        static let modelVersion = ModelVersion(configuration: .default)

        static func job(_ i: Int, card: String, alert: Bool) -> OutputJob {
            let transaction = Transaction(
                transactionID: "tx-\(i)", cardID: card, merchantID: "m-1", amount: Money(whole: 10),
                currency: CurrencyCode("EUR")!, timestamp: 1_775_000_000_000 + Int64(i))
            let decision = Decision(
                transactionID: transaction.transactionID, cardID: card, eventTime: transaction.timestamp, score: 0.5,
                modelProbability: 0.5, anomaly: 0.25,
                reasons: [
                    ReasonCode(code: "amount", contribution: Double(i) / 1000),
                    ReasonCode(code: "hst_anomaly", contribution: 0.001),
                ],
                stateVersion: UInt64(i))
            let verdict = RuleOutcome(
                action: alert ? .alert : nil, ruleIDs: alert ? ["r1"] : [], rulesVersion: "test-1", segmentID: "all")
            return OutputJob(
                decision: decision, reasons: 0..<0, transaction: transaction, verdict: verdict,
                source: InputPosition(topic: topics.transactions, partition: 0, offset: Int64(i)),
                labelsBefore: i == 3 ? [InputPosition(topic: topics.labels, partition: 1, offset: 7)] : [],
                processedAt: 1_775_000_001_000, alertID: alert ? UInt64(2 * i) : nil, decisionID: UInt64(2 * i + 1))
        }

        /// `jobs` as the processing task hands them over: their reasons in the batch's array.
        static func batch(_ jobs: some Sequence<OutputJob>) -> OutputBatch {
            var batch = OutputBatch()
            for var job in jobs {
                let reasons = job.decision.reasons
                job.decision.reasons = []
                batch.append(job, reasons: reasons)
            }
            return batch
        }

        /// The first reason's contribution of a record (the job's number / 1000), and the
        /// number of its reasons.
        static func firstReason(_ json: [String: Any]) -> (Double?, Int) {
            let reasons = json["reasons"] as? [[String: Any]] ?? []
            return (reasons.first?["contribution"] as? Double, reasons.count)
        }

        /// Every job's outputs are sent by the time ``OutputStage/drain()`` returns, with
        /// their ids, and one card's records keep the submission order.
        @Test func drainReturnsWhenEveryOutputWasSentInOrder() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: [Self.topics.alerts: 2, Self.topics.decisions: 2], logger: testLogger)
            defer { cluster.shutdown() }
            let producer = try producer(cluster)
            let stage = OutputStage(producer: producer, topics: Self.topics, modelVersion: Self.modelVersion, run: "run-1")
            let jobs = (0..<200).map { Self.job($0, card: "card-\($0 % 3)", alert: $0 % 10 == 0) }
            let reports = Task { () -> [UInt64] in
                var ids: [UInt64] = []
                var iterator = producer.deliveryReports.makeAsyncIterator()
                while ids.count < 220, let chunk = try await iterator.nextChunk() { ids += chunk.map(\.id) }
                return ids
            }
            for start in stride(from: 0, to: jobs.count, by: 64) {
                var batch = Self.batch(jobs[start..<min(start + 64, jobs.count)])
                stage.submit(&batch)
                #expect(batch.isEmpty && batch.reasons.isEmpty, "the batch handed back is not empty")
                // Let the stage finish it, so that the next batch is a recycled one.
                if start == 64 { try await stage.drain() }
            }
            try await stage.drain()
            // Drained: all 220 messages are in the producer, so closing it (which flushes and
            // refuses later sends) loses none; a drain that returned early would.
            try await producer.close()
            let delivered = try await reports.value
            let decisionIDs: [UInt64] = (0..<200).map { UInt64(2 * $0 + 1) }
            let alertIDs: [UInt64] = stride(from: 0, to: 200, by: 10).map { UInt64(2 * $0) }
            #expect(Set(delivered) == Set(decisionIDs + alertIDs))

            let decisions = try await readTopic(cluster, Self.topics.decisions, count: 200, settle: 0.5)
            #expect(decisions.count == 200)
            for card in ["card-0", "card-1", "card-2"] {
                let offsets = decisions.filter { $0.keyString == card }.map {
                    (($0.json["source"] as? [String: Any])?["offset"] as? Int) ?? -1
                }
                #expect(offsets == offsets.sorted(), "\(card): records out of order")
                #expect(offsets.count == (0..<200).filter { "card-\($0 % 3)" == card }.count)
            }
            // Each record carries its own job's reasons, also from recycled batches.
            for record in decisions {
                let id = try #require(record.json["transaction_id"] as? String)
                let i = try #require(Int(id.dropFirst(3)))
                let (first, count) = Self.firstReason(record.json)
                #expect(count == 2 && first == Double(i) / 1000, "\(id): reasons \(String(describing: first)), \(count)")
            }
            let third = try #require(decisions.first { ($0.json["transaction_id"] as? String) == "tx-3" })
            #expect((third.json["labels_before"] as? [[String: Any]])?.first?["offset"] as? Int == 7)
            let alerts = try await readTopic(cluster, Self.topics.alerts, count: 20, settle: 0.5)
            #expect(alerts.count == 20)
            for alert in alerts {
                let id = try #require(alert.json["transaction_id"] as? String)
                let (first, count) = Self.firstReason(alert.json)
                #expect(count == 2 && first == Double(Int(id.dropFirst(3))!) / 1000, "alert \(id)")
            }
        }

        /// A send that fails (the producer is closed) is reported by the next drain, once;
        /// the stage keeps working for the drains after it.
        @Test func aSendErrorIsRethrownByTheNextDrain() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: [Self.topics.decisions: 1], logger: testLogger)
            defer { cluster.shutdown() }
            let producer = try producer(cluster)
            let stage = OutputStage(producer: producer, topics: Self.topics, modelVersion: Self.modelVersion, run: "run-1")
            var first = Self.batch([Self.job(1, card: "card-1", alert: false)])
            stage.submit(&first)
            try await stage.drain()
            try await producer.close()
            var second = Self.batch([Self.job(2, card: "card-1", alert: false), Self.job(3, card: "card-1", alert: false)])
            stage.submit(&second)
            await #expect(throws: KafkaError.self) { try await stage.drain() }
            // Reported once: nothing was submitted since.
            try await stage.drain()
        }
    }
}
