import ArgumentParser
import Logging
import RdKafka

/// `fraudstream roundtrip`: the Kafka quick start — produce N messages, consume them back in a
/// consumer group, print what happened.
struct RoundTripCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrip",
        abstract: "Produce messages to Kafka and consume them back: a quick end-to-end check.",
        discussion: """
            Without --bootstrap, starts an embedded broker (librdkafka's mock cluster, see \
            `fraudstream broker --help`) in this process. With --bootstrap, uses that cluster; \
            the topic must exist there. Prints produced and consumed counts, the count per \
            partition and the elapsed times. The consumer reads exactly the messages this run \
            produced (it starts each partition at the first offset a delivery report gave).
            """
    )

    @Option(help: "Number of messages to produce.")
    var messages: Int = 10_000

    @OptionGroup(title: "Kafka")
    var kafka: KafkaOptions

    @Option(help: "Topic to use.")
    var topic: String = "roundtrip"

    @Option(help: "Partitions of the topic on the embedded broker.")
    var partitions: Int = 8

    func validate() throws {
        guard messages > 0 else { throw ValidationError("--messages must be at least 1") }
        guard (1...10_000).contains(partitions) else { throw ValidationError("--partitions must be between 1 and 10000") }
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.roundtrip")
        logger.logLevel = .warning
        let bootstrap = kafka.bootstrap
        let properties = try kafka.properties
        let cluster = bootstrap == nil ? try EmbeddedKafkaCluster(topics: [topic: partitions], logger: logger) : nil
        let servers = bootstrap ?? cluster!.bootstrapServers
        print(cluster == nil ? "Kafka at \(servers)" : "embedded broker at \(servers), topic \(topic) with \(partitions) partitions")
        let start = ContinuousClock.now

        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: [servers], properties: properties), logger: logger)
        try await producer.checkConnection(timeout: .seconds(10))
        if cluster == nil { try await KafkaAdminClient(configuration: .init(bootstrapServers: servers, properties: properties))
                .requireTopics([topic]) }
        let reportsTask = Task { () -> [KafkaDeliveryReport] in
            var reports: [KafkaDeliveryReport] = []
            for try await report in producer.deliveryReports {
                reports.append(report)
                if reports.count == messages { break }
            }
            return reports
        }
        for i in 0..<messages {
            try await producer.send(topic: topic, key: "key-\(i % 1000)".utf8, value: "message \(i)".utf8, id: UInt64(i))
        }
        let reports = try await reportsTask.value
        let delivered = reports.filter(\.isDelivered)
        let produced = ContinuousClock.now
        print("produced \(messages) messages: \(delivered.count) delivered, \(reports.count - delivered.count) failed, in \(produced - start)")
        guard !delivered.isEmpty else { throw ExitCode.failure }

        // Start each partition at the first offset this run wrote there.
        var firstOffsets: [KafkaTopicPartition: Int64] = [:]
        for r in delivered {
            let tp = KafkaTopicPartition(topic: r.topic, partition: r.partition)
            firstOffsets[tp] = min(firstOffsets[tp] ?? .max, r.offset)
        }
        let starts = firstOffsets
        let consumer = try KafkaConsumer(
            configuration: .init(
                bootstrapServers: [servers], groupID: "fraudstream-roundtrip-\(UInt32.random(in: 0...UInt32.max))",
                properties: properties),
            topics: [topic], rebalanceListener: KafkaRebalanceListener(onAssign: { parts in
                Dictionary(uniqueKeysWithValues: parts.map { ($0, starts[$0] ?? KafkaOffset.end) })
            }), logger: logger)
        var perPartition: [Int32: Int] = [:]
        var consumed = 0
        for try await batch in consumer.batches {
            for message in batch { perPartition[message.partition, default: 0] += 1 }
            consumed += batch.count
            try consumer.storeOffsets(of: batch)
            if consumed >= delivered.count { break }
        }
        try await consumer.commit()
        try await consumer.close()
        try await producer.close()
        print("consumed \(consumed) messages in \(ContinuousClock.now - produced)")
        for (partition, count) in perPartition.sorted(by: { $0.key < $1.key }) { print("  partition \(partition): \(count)") }
        print("total \(ContinuousClock.now - start)")
        if consumed != delivered.count { throw ExitCode.failure }
    }
}
