import Testing

@testable import RdKafka

extension RdKafkaTests {
    @Suite struct KafkaConfigurationTests {
        @Test func typedSettingsAndRawPropertiesRenderInOrder() {
            var consumer = KafkaConsumerConfiguration(
                bootstrapServers: " a:9092, b:9092 ", groupID: "g", autoOffsetReset: .earliest)
            consumer.properties = ["security.protocol": "SASL_SSL", "enable.auto.commit": "true"]
            let rendered = consumer.librdkafkaProperties
            #expect(rendered.first { $0.key == "bootstrap.servers" }?.value == "a:9092,b:9092")
            #expect(rendered.first { $0.key == "enable.auto.offset.store" }?.value == "false")
            // Raw properties come last and so win.
            #expect(rendered.last { $0.key == "enable.auto.commit" }?.value == "true")
            #expect(rendered.suffix(2).map(\.key) == ["enable.auto.commit", "security.protocol"])

            var producer = KafkaProducerConfiguration(bootstrapServers: "x:1", transactionalID: "t")
            producer.linger = .milliseconds(7)
            let p = Dictionary(producer.librdkafkaProperties.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            #expect(p["enable.idempotence"] == "true")
            #expect(p["transactional.id"] == "t")
            #expect(p["linger.ms"] == "7")
        }

        @Test func errorsDescribeThemselves() {
            let error = KafkaError(code: .timedOut)
            #expect(error.name == "_TIMED_OUT")
            #expect(error.isRetriable)
            #expect(!error.isFatal)
            #expect(KafkaError(code: .invalidArgument).isRetriable == false)
            #expect(error.description.contains("_TIMED_OUT"))
        }
    }
}
