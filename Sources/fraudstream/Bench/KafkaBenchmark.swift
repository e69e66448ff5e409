import ArgumentParser
import Foundation
import Logging
import RdKafka

/// `fraudstream bench kafka`: produce and consume throughput through the embedded broker.
struct KafkaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Measure produce and consume throughput through the embedded broker.",
        discussion: """
            Produces --messages keyed messages of --size bytes to an in-process embedded broker \
            (librdkafka's mock cluster) and measures until every delivery report is in; then a \
            consumer group member reads them back and the consume rate is measured from the \
            first message received to the last (group join excluded). Prints msg/s and MB/s of \
            payload (key + value) and the librdkafka properties used.

            The mock cluster keeps only about 5 MB per partition, so by default the topic gets \
            enough partitions (at least 8) to keep every message; with fewer, the consumer \
            reads what was kept. Run several times (--runs) and quote the median: the machine \
            and the broker share the same cores.
            """
    )

    @Option(help: "Messages per run.")
    var messages: Int = 2_000_000

    @Option(help: "Value size in bytes (keys are 13 bytes, e.g. card-00001234).")
    var size: Int = 200

    @Option(help: "Partitions of the benchmark topic; 0 = enough for the mock to keep every message (≥ 8).")
    var partitions: Int = 0

    @Option(help: "Number of runs; the median is printed when more than one.")
    var runs: Int = 1

    @Option(help: "Delivery reports surfaced during the produce phase: all, errors or none.")
    var reports: String = "all"

    @Option(help: "The most messages per consumer batch hand-over.")
    var batch: Int = 8192

    @Option(
        name: .customLong("producer-property"),
        help: ArgumentHelp("Extra librdkafka producer property, e.g. linger.ms=20 (repeatable).", valueName: "key=value"))
    var producerProperties: [String] = []

    @Option(
        name: .customLong("consumer-property"),
        help: ArgumentHelp("Extra librdkafka consumer property (repeatable).", valueName: "key=value"))
    var consumerProperties: [String] = []

    static func parseProperties(_ list: [String], _ flag: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in list {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("\(flag) '\(item)': expected key=value")
            }
            result[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return result
    }

    func validate() throws {
        guard messages > 0 else { throw ValidationError("--messages must be at least 1") }
        guard (1...1_000_000).contains(size) else { throw ValidationError("--size must be between 1 and 1000000 bytes") }
        guard (0...10_000).contains(partitions) else { throw ValidationError("--partitions must be between 0 and 10000") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard ["all", "errors", "none"].contains(reports) else { throw ValidationError("--reports must be all, errors or none") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        _ = try Self.parseProperties(producerProperties, "--producer-property")
        _ = try Self.parseProperties(consumerProperties, "--consumer-property")
    }

    static let keyLength = 13

    var partitionCount: Int {
        if partitions > 0 { return partitions }
        // ~4 MB per partition leaves headroom under the mock's 5 MB retention.
        let bytes = Double(messages) * Double(size + Self.keyLength + 70)
        return max(8, Int((bytes / 4_000_000).rounded(.up)))
    }

    func producerConfiguration(_ servers: String) -> KafkaProducerConfiguration {
        KafkaProducerConfiguration(
            bootstrapServers: [servers], linger: .milliseconds(5), batchSize: 4_000_000, batchNumMessages: 10_000,
            queueBufferingMaxMessages: 1_000_000, queueBufferingMaxKBytes: 1_048_576,
            deliveryReports: reports == "all" ? .all : reports == "errors" ? .errorsOnly : .none,
            properties: (try? Self.parseProperties(producerProperties, "")) ?? [:])
    }

    func consumerConfiguration(_ servers: String, run: Int) -> KafkaConsumerConfiguration {
        KafkaConsumerConfiguration(
            bootstrapServers: [servers], groupID: "bench-\(run)", autoOffsetReset: .earliest, maxBatchSize: batch,
            handOverCapacity: 8,
            properties: [
                "fetch.max.bytes": "52428800", "max.partition.fetch.bytes": "10485760",
                "queued.min.messages": "1000000", "queued.max.messages.kbytes": "1048576", "fetch.wait.max.ms": "10",
            ].merging((try? Self.parseProperties(consumerProperties, "")) ?? [:]) { $1 })
    }

    struct Result {
        var produceSeconds: Double
        var consumed: Int
        var consumedBytes: Int
        var consumeSeconds: Double
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.bench.kafka")
        logger.logLevel = .warning
        let cluster = try EmbeddedKafkaCluster(logger: logger)
        let servers = cluster.bootstrapServers
        print("bench kafka: \(messages) messages, \(Self.keyLength)-byte keys, \(size)-byte values, \(partitionCount) partitions, embedded broker at \(servers)")
        print("producer properties: " + producerConfiguration(servers).librdkafkaProperties.filter { $0.key != "bootstrap.servers" }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + " (delivery reports: \(reports))")
        print("consumer properties: " + consumerConfiguration(servers, run: 0).librdkafkaProperties.filter { !["bootstrap.servers", "group.id"].contains($0.key) }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + " (hand-over: \(batch)-message batches × 8)")
        var results: [Result] = []
        for run in 1...runs {
            let topic = "bench-\(run)"
            try cluster.createTopic(topic, partitions: partitionCount)
            let result = try await runOnce(servers: servers, topic: topic, run: run, logger: logger)
            results.append(result)
            print(String(format: "run %d: produce %@ | consume %@%@", run,
                         rate(messages, Double(messages) * Double(size + Self.keyLength), result.produceSeconds),
                         rate(result.consumed, Double(result.consumedBytes), result.consumeSeconds),
                         result.consumed < messages ? " (the mock kept \(result.consumed) of \(messages) messages)" : ""))
        }
        if runs > 1 {
            let produce = median(results.map { Double(messages) / $0.produceSeconds })
            let consume = median(results.map { Double($0.consumed) / $0.consumeSeconds })
            let bytesPerMessage = Double(size + Self.keyLength)
            print(String(format: "median of %d runs: produce %.0f msg/s (%.1f MB/s) | consume %.0f msg/s (%.1f MB/s)", runs,
                         produce, produce * bytesPerMessage / 1e6, consume, consume * bytesPerMessage / 1e6))
        }
    }

    private func runOnce(servers: String, topic: String, run: Int, logger: Logger) async throws -> Result {
        let producer = try KafkaProducer(configuration: producerConfiguration(servers), logger: logger)
        try await producer.checkConnection()
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: size)
        var key = Array("card-00000000".utf8)
        let total = messages
        let start = ContinuousClock.now
        let reader = Task { () -> Int in
            guard reports != "none" else { return 0 }
            var failed = 0
            var iterator = producer.deliveryReports.makeAsyncIterator()
            while let chunk = try await iterator.nextChunk() {
                for report in chunk where !report.isDelivered { failed += 1 }
            }
            return failed
        }
        for i in 0..<total {
            var n = i % 100_000_000
            for position in stride(from: 12, through: 5, by: -1) {
                key[position] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            }
            try await producer.send(topic: topic, key: key, value: value, id: UInt64(i))
        }
        try await producer.flush(timeout: .seconds(600))  // returns once every delivery report is handed over
        let produceSeconds = seconds(ContinuousClock.now - start)
        try await producer.close()
        let failed = try await reader.value
        let counts = producer.deliveryCounts
        if failed > 0 || counts.failed > 0 { print("warning: \(max(failed, counts.failed)) deliveries failed") }

        let consumer = try KafkaConsumer(configuration: consumerConfiguration(servers, run: run), topics: [topic], logger: logger)
        var available = 0
        for p in 0..<partitionCount {
            let (low, high) = try await consumer.watermarks(of: KafkaTopicPartition(topic: topic, partition: Int32(p)))
            available += Int(high - low)
        }
        var consumed = 0
        var bytes = 0
        var first: ContinuousClock.Instant?
        for try await batch in consumer.batches {
            if first == nil { first = ContinuousClock.now }
            consumed += batch.count
            bytes += batch.payloadByteCount
            if consumed >= available { break }
        }
        let consumeSeconds = seconds(ContinuousClock.now - (first ?? ContinuousClock.now))
        try await consumer.close()
        return Result(produceSeconds: produceSeconds, consumed: consumed, consumedBytes: bytes, consumeSeconds: consumeSeconds)
    }

    private func seconds(_ d: Duration) -> Double {
        d.seconds
    }

    private func rate(_ count: Int, _ bytes: Double, _ seconds: Double) -> String {
        String(format: "%d msgs in %.2f s = %.0f msg/s, %.1f MB/s", count, seconds, Double(count) / seconds, bytes / seconds / 1e6)
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
