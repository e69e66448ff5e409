import ArgumentParser
import Foundation
import Histogram
import Logging
import RdKafka

/// `fraudstream bench hop`: the latency of one Kafka hop (producer → embedded broker →
/// consumer) at a steady rate, with nothing else running.
///
/// The live processor's event-to-alert path crosses the broker twice (transaction in, alert
/// out), so this is the floor under half of `bench e2e`'s latency: what the embedded broker
/// and librdkafka cost before any scoring. The producer paces keyed messages like the
/// simulator feed (chunks of at most 256, then a sleep until the next is due); each value
/// starts with the instant it was handed to the producer, and a consumer group member with
/// the e2e latency phase's properties records receive − send in an HdrHistogram.
struct HopLatencyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hop",
        abstract: "Measure the latency of one Kafka hop through the embedded broker at a steady rate.",
        discussion: """
            Producer → embedded broker (librdkafka's mock cluster) → consumer, in this process, \
            with the properties of `bench e2e`'s latency phase (producer linger.ms=1; consumer \
            fetch.wait.max.ms=1; Nagle off) unless overridden. The first --warmup seconds are \
            left out. Prints p50/p90/p99/p99.9/max in milliseconds.
            """
    )

    @Option(help: "Messages per second.")
    var rate: Double = 50_000

    @Option(help: "Seconds measured (after the warm-up).")
    var seconds: Double = 10

    @Option(help: "Seconds at the start left out of the figures.")
    var warmup: Double = 3

    @Option(help: "Value size in bytes (a transaction message is about 300).")
    var size: Int = 300

    @Option(help: "Partitions of the topic.")
    var partitions: Int = 8

    @Option(
        name: .customLong("producer-property"),
        help: ArgumentHelp("Extra librdkafka producer property, e.g. linger.ms=5 (repeatable).", valueName: "key=value"))
    var producerProperties: [String] = []

    @Option(
        name: .customLong("consumer-property"),
        help: ArgumentHelp("Extra librdkafka consumer property (repeatable).", valueName: "key=value"))
    var consumerProperties: [String] = []

    func validate() throws {
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be in (0, 1000000], got \(rate)") }
        guard seconds > 0, warmup >= 0 else { throw ValidationError("--seconds must be positive and --warmup at least 0") }
        guard (16...1_000_000).contains(size) else { throw ValidationError("--size must be between 16 and 1000000 bytes, got \(size)") }
        guard (1...256).contains(partitions) else { throw ValidationError("--partitions must be in 1...256, got \(partitions)") }
        _ = try KafkaBenchmark.parseProperties(producerProperties, "--producer-property")
        _ = try KafkaBenchmark.parseProperties(consumerProperties, "--consumer-property")
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.bench.hop")
        logger.logLevel = .warning
        let topic = "hop"
        let cluster = try EmbeddedKafkaCluster(topics: [topic: partitions], logger: logger)
        defer { cluster.shutdown() }
        let servers = cluster.bootstrapServers
        let producerExtra = try KafkaBenchmark.parseProperties(producerProperties, "--producer-property")
        let consumerExtra = try KafkaBenchmark.parseProperties(consumerProperties, "--consumer-property")
        let producerConfiguration = KafkaProducerConfiguration(
            bootstrapServers: [servers], clientID: "bench-hop", linger: .milliseconds(1), deliveryReports: .errorsOnly,
            properties: ["socket.nagle.disable": "true"].merging(producerExtra) { $1 })
        let consumerConfiguration = KafkaConsumerConfiguration(
            bootstrapServers: [servers], groupID: "bench-hop", autoOffsetReset: .latest,
            properties: EmbeddedKafkaCluster.lowLatencyConsumerProperties.merging(consumerExtra) { $1 })
        func shown(_ properties: [(key: String, value: String)], without: Set<String>) -> String {
            properties.filter { !without.contains($0.key) }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        print("bench hop: \(Int(rate)) msg/s of \(size) bytes for \(seconds) s (+\(warmup) s warm-up), \(partitions) partitions, embedded broker at \(servers)")
        print("producer: \(shown(producerConfiguration.librdkafkaProperties, without: ["bootstrap.servers"]))")
        print("consumer: \(shown(consumerConfiguration.librdkafkaProperties, without: ["bootstrap.servers", "group.id"]))")

        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        try await producer.checkConnection()
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, topics: [topic], logger: logger)
        let base = ContinuousClock.now
        // The feed starts 4 s after `base`, once the consumer has joined and been assigned
        // (it starts at the end); samples count from the end of the warm-up after that.
        let started = base + .seconds(4)
        let countFrom = Int64((4 + warmup) * 1e9)
        let total = Int((rate * (seconds + warmup)).rounded())
        let reading = Task { () -> (Histogram<UInt64>, Int) in
            var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            var received = 0
            for try await batch in consumer.batches {
                let now = Int64((ContinuousClock.now - base) / .nanoseconds(1))
                for message in batch {
                    guard let value = message.value, value.count >= 8 else { continue }
                    let sent = value.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
                    received += 1
                    if sent >= countFrom { histogram.record(UInt64(max(0, now - sent) / 1000)) }
                }
                if received >= total { break }
            }
            return (histogram, received)
        }
        try await Task.sleep(until: started, clock: .continuous)

        var value = [UInt8](repeating: UInt8(ascii: "v"), count: size)
        var key = Array("card-00000000".utf8)
        var sent = 0
        while sent < total {
            let elapsed = (ContinuousClock.now - started).seconds
            let due = min(Int(elapsed * rate) + 1, total) - sent
            if due <= 0 {
                let wait = Double(sent) / rate - elapsed
                try await Task.sleep(for: .microseconds(Int64(min(max(wait, 0.0005), 0.02) * 1e6)))
                continue
            }
            for _ in 0..<min(due, 256) {
                var n = sent % 100_000
                for position in stride(from: 12, through: 5, by: -1) {
                    key[position] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
                let now = Int64((ContinuousClock.now - base) / .nanoseconds(1))
                withUnsafeBytes(of: now.littleEndian) { bytes in
                    for i in 0..<8 { value[i] = bytes[i] }
                }
                try await producer.send(topic: topic, key: key, value: value, id: UInt64(sent))
                sent += 1
            }
        }
        let fedSeconds = (ContinuousClock.now - started).seconds
        let deadline = ContinuousClock.now + .seconds(10)
        let watchdog = Task {
            try await Task.sleep(until: deadline, clock: .continuous)
            reading.cancel()
        }
        let (histogram, received) = try await reading.value
        watchdog.cancel()
        try? await producer.close(timeout: .seconds(5))
        try? await consumer.close()
        let achieved = Double(sent) / fedSeconds
        print("sent \(sent) messages at \(Int(achieved)) msg/s, received \(received)")
        guard histogram.totalCount > 0 else {
            print("no samples after the warm-up")
            return
        }
        func ms(_ p: Double) -> String { GenerateCommand.formatted(Double(histogram.valueAtPercentile(p)) / 1000, 2) }
        print("hop latency (\(histogram.totalCount) samples): p50 \(ms(50)) ms, p90 \(ms(90)) ms, p99 \(ms(99)) ms, p99.9 \(ms(99.9)) ms, max \(GenerateCommand.formatted(Double(histogram.max) / 1000, 2)) ms")
    }
}
