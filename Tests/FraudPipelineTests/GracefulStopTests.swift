import FraudRules
import Foundation
import FraudEngine
import FraudPipeline
import RdKafka
import Testing

extension FraudPipelineTests {
    /// After stop, the group's committed offsets cover everything processed; a restart
    /// continues from there.
    @Suite struct GracefulStopTests {
        @Test func stopCommitsEverythingProcessed() async throws {
            let cluster = try EmbeddedKafkaCluster(
                topics: ["transactions": 3, "labels": 1, "alerts": 1, "decisions": 2, "dead-letter": 1],
                logger: testLogger)
            let producer = try producer(cluster)
            let start: Int64 = 1_775_001_600_000
            var messages: [KafkaProducerMessage] = []
            for i in 0..<600 {
                let card = "card-\(i % 50)"
                let json = transactionJSON(
                    id: "tx-\(i)", card: card, amount: "\(10 + i % 400).25", timestamp: RFC3339.format(start + Int64(i) * 60_000))
                messages.append(KafkaProducerMessage(
                    topic: "transactions", key: Array(card.utf8), value: Array(json.utf8), partition: Int32(i % 3),
                    id: UInt64(i + 1)))
            }
            let label: [UInt8] = Array(#"{"transaction_id":"tx-3","is_fraud":true}"#.utf8)
            messages.append(KafkaProducerMessage(topic: "labels", key: nil as [UInt8]?, value: label, id: 1000))
            _ = try await produceAll(producer, messages)
            try await producer.close()

            let configuration = pipelineConfiguration(cluster, group: "stop-group")
            let run = RunningProcessor(configuration, rules: .builtIn)
            try await run.waitForInput(messages.count)
            try await run.stop()
            #expect(run.processor.statistics.transactionsScored == 600)
            #expect(run.processor.statistics.deliveredOutputs >= 600)

            // The committed offsets of the group are the ends of the partitions.
            let checker = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    bootstrapServers: [cluster.bootstrapServers], groupID: "stop-group", autoOffsetReset: .earliest),
                topics: ["transactions"], logger: testLogger)
            let partitions = (0..<3).map { KafkaTopicPartition(topic: "transactions", partition: $0) }
                + [KafkaTopicPartition(topic: "labels", partition: 0)]
            let committed = try await checker.committed(partitions)
            try await checker.close()
            #expect(committed[partitions[0]] == 200 && committed[partitions[1]] == 200 && committed[partitions[2]] == 200,
                    "committed \(committed)")
            #expect(committed[partitions[3]] == 1)

            // A restart in the same group has nothing left to process.
            let again = RunningProcessor(configuration, rules: .builtIn)
            try await Task.sleep(for: .seconds(4))
            try await again.stop()
            #expect(again.processor.statistics.transactionMessages == 0)
        }
    }
}
