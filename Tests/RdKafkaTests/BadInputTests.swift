import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct BadInputTests {
        @Test func unreachableBootstrapGivesAClearErrorInBoundedTime() async throws {
            let start = ContinuousClock.now
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1"), logger: testLogger)
            let error = await #expect(throws: KafkaError.self) {
                try await producer.checkConnection(timeout: .seconds(2))
            }
            #expect(error?.message.contains("127.0.0.1:1") == true)
            #expect(error?.isRetriable == true)

            let admin = try KafkaAdminClient(
                configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"), logger: testLogger)
            let adminError = await #expect(throws: KafkaError.self) {
                try await admin.checkConnection(timeout: .seconds(2))
            }
            #expect(adminError?.message.contains("127.0.0.1:1") == true)

            let consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "nobody"),
                topics: ["anything"], logger: testLogger)
            await #expect(throws: KafkaError.self) { try await consumer.checkConnection(timeout: .seconds(2)) }
            try await consumer.close()
            // Generous bound: the point is "no hang", not speed.
            #expect(ContinuousClock.now - start < .seconds(60))
        }

        @Test func unknownPropertyIsNamedInTheError() throws {
            var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:9092")
            configuration.properties["no.such.property"] = "1"
            let error = #expect(throws: KafkaError.self) {
                _ = try KafkaProducer(configuration: configuration, logger: testLogger)
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("no.such.property") == true)

            var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:9092", groupID: "g")
            consumerConfiguration.properties["fetch.wait.max.ms"] = "not-a-number"
            let invalid = #expect(throws: KafkaError.self) {
                _ = try KafkaConsumer(configuration: consumerConfiguration, topics: ["t"], logger: testLogger)
            }
            #expect(invalid?.message.contains("fetch.wait.max.ms") == true)

            var enumValue = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
            enumValue.properties["security.protocol"] = "carrier-pigeon"
            let enumError = #expect(throws: KafkaError.self) {
                _ = try KafkaAdminClient(configuration: enumValue, logger: testLogger)
            }
            #expect(enumError?.message.contains("security.protocol") == true)
            #expect(RDKafkaConfig.isSecret("sasl.password") && !RDKafkaConfig.isSecret("linger.ms"))
        }

        @Test func missingTopicIsReportedNotHungOn() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["present": 2], logger: testLogger)
            let admin = try KafkaAdminClient(
                configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
            try await admin.requireTopics(["present"])
            let error = await #expect(throws: KafkaError.self) { try await admin.requireTopics(["present", "absent"]) }
            #expect(error?.code == .unknownTopicOrPartition)
            #expect(error?.message.contains("absent") == true)
            // Checking did not create it.
            #expect(try await admin.metadata().topic("absent") == nil)

            // The mock auto-creates topics asked for in metadata; make it answer like a broker
            // without auto-creation for this one.
            try cluster.setTopicError("absent", .unknownTopicOrPartition)
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "missing"), topics: ["absent"], logger: testLogger)
            let consumerError = await #expect(throws: KafkaError.self) {
                try await withTimeout(60, "missing-topic error") {
                    for try await _ in consumer.messages {}
                }
            }
            #expect(consumerError?.code == .unknownTopicOrPartition)
            #expect(consumerError?.message.contains("absent") == true)
            try await consumer.close()
        }

        @Test func theEmbeddedClusterAutoCreatesTopicsOnProduce() async throws {
            // A fact of librdkafka's mock cluster (like a broker with auto.create.topics.enable).
            let cluster = try EmbeddedKafkaCluster(logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            let reports = try await produceAll(producer, [KafkaProducerMessage(topic: "made-up", key: "k", value: "v")])
            #expect(reports.first?.isDelivered == true)
            let topic = try await producer.metadata().topic("made-up")
            #expect(topic?.partitions.count == 4)
            try await producer.close()
        }

        @Test func closedClientsRefuseWork() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["t": 1], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            try await producer.close()
            await #expect(throws: KafkaError.self) {
                try await producer.send(KafkaProducerMessage(topic: "t", key: "k", value: "v"))
            }
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "closed"), topics: ["t"], logger: testLogger)
            try await consumer.close()
            try await consumer.close()  // idempotent
            await #expect(throws: KafkaError.self) {
                try await consumer.seek([KafkaTopicPartition(topic: "t", partition: 0): 0])
            }
            var iterator = consumer.messages.makeAsyncIterator()
            #expect(try await iterator.next() == nil, "sequence ended")
            cluster.shutdown()
            #expect(throws: KafkaError.self) { try cluster.createTopic("late", partitions: 1) }
        }
    }
}
