import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct AdminTests {
        @Test func createdTopicIsListedWithItsPartitionsAndBrokers() async throws {
            let cluster = try EmbeddedKafkaCluster(brokers: 3, logger: testLogger)
            try cluster.createTopic("alerts", partitions: 6, replicationFactor: 3)
            let admin = try KafkaAdminClient(
                configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
            let metadata = try await admin.metadata()
            #expect(metadata.brokers.map(\.id) == [1, 2, 3])
            #expect(metadata.brokers.allSatisfy { $0.host == "127.0.0.1" && $0.port > 0 })
            let topic = try #require(metadata.topic("alerts"))
            #expect(topic.error == nil)
            #expect(topic.partitions.map(\.id) == Array(0..<6))
            #expect(topic.partitions.allSatisfy { (1...3).contains($0.leader) && $0.replicas.count == 3 })
            // The mock picks each partition's first replica at random (all six on one broker
            // about once in 243 runs): what the metadata must say is that the leader is a replica.
            #expect(topic.partitions.allSatisfy { $0.replicas.contains($0.leader) })
            #expect(cluster.bootstrapServers.split(separator: ",").count == 3)
        }

        @Test func createTopicsAPIIsBoundedOnTheMockCluster() async throws {
            // librdkafka 2.0.2's mock cluster has no CreateTopics handler (no controller): the
            // call must fail within its timeout rather than hang. Against a real broker it creates.
            let cluster = try EmbeddedKafkaCluster(logger: testLogger)
            let admin = try KafkaAdminClient(
                configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
            let start = ContinuousClock.now
            await #expect(throws: KafkaError.self) {
                try await admin.createTopics([KafkaNewTopic(name: "via-admin", partitions: 3)], timeout: .seconds(2))
            }
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }
}
