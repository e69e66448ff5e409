import FraudEngine
import FraudPipeline
import FraudRules
import Foundation
import RdKafka
import Testing

extension FraudPipelineTests {
    /// A broker of the cluster goes down for a while and comes back, with input arriving and
    /// outputs pending meanwhile: the processor keeps running and every transaction ends up
    /// with its decision, nothing lost.
    @Suite struct BrokerOutageTests {
        @Test func brokerDownThenUpLosesNothing() async throws {
            let cluster = try EmbeddedKafkaCluster(
                brokers: 3,
                topics: ["transactions": 6, "labels": 3, "alerts": 3, "decisions": 6, "dead-letter": 1],
                logger: testLogger)
            func transactions(_ range: Range<Int>) -> [KafkaProducerMessage] {
                range.map { i in
                    let json = transactionJSON(
                        id: "tx-\(i)", card: "card-\(i % 50)", amount: "\(5 + i % 200).25",
                        timestamp: RFC3339.format(1_775_000_000_000 + Int64(i) * 20_000))
                    return KafkaProducerMessage(
                        topic: "transactions", key: Array("card-\(i % 50)".utf8), value: Array(json.utf8), id: UInt64(i))
                }
            }
            let run = RunningProcessor(pipelineConfiguration(cluster, group: "outage"), rules: .builtIn)
            let producer = try producer(cluster)
            _ = try await produceAll(producer, transactions(0..<300))
            try await run.waitForInput(300)

            // Broker 2 (leader of some input and output partitions, perhaps the group
            // coordinator) goes away while more input is produced.
            try cluster.setBrokerDown(2)
            let sending = Task { try await produceAll(producer, transactions(300..<600)) }
            try await Task.sleep(for: .seconds(3))
            try cluster.setBrokerUp(2)
            let reports = try await sending.value
            let allDelivered = reports.values.allSatisfy { $0.isDelivered }
            #expect(allDelivered)
            try await run.waitForInput(600, timeout: 180)
            try await producer.close()
            try await eventually(60, "every output acknowledged") {
                let s = run.processor.statistics
                return s.deliveredOutputs >= s.decisionRecords + s.alertCount + s.deadLetterCount
            }
            try await run.stop()
            let stats = run.processor.statistics
            #expect(stats.deadLetterCount == 0)
            #expect(stats.transactionsScored >= 600)

            let records = try await readTopic(cluster, "decisions", count: 600)
            let decided = Set(records.compactMap { $0.json["transaction_id"] as? String })
            let missing = (0..<600).map { "tx-\($0)" }.filter { !decided.contains($0) }
            #expect(missing.isEmpty, "\(missing.count) transactions without a decision, first \(missing.prefix(3))")
        }
    }
}
