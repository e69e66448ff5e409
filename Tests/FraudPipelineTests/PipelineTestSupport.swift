import FraudRules
import Foundation
import FraudEngine
import FraudPipeline
import Logging
import RdKafka
import Testing

/// All pipeline suites run one at a time: each starts an embedded cluster, a processor and
/// several clients, which is as much as a loaded 2-core machine takes.
@Suite(.serialized) struct FraudPipelineTests {}

let testLogger: Logger = {
    var logger = Logger(label: "fraudstream.pipeline.test")
    logger.logLevel = ProcessInfo.processInfo.environment["PIPELINE_TEST_LOG"] == nil ? .critical : .info
    return logger
}()

struct TimeoutError: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out: \(what)" }
}

/// Polls `condition` every 50 ms until true or `seconds` elapse (generous: never a speed test).
func eventually(_ seconds: Double, _ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TimeoutError(what: what)
}

func producer(_ cluster: EmbeddedKafkaCluster) throws -> KafkaProducer {
    try KafkaProducer(
        configuration: KafkaProducerConfiguration(bootstrapServers: [cluster.bootstrapServers], linger: .milliseconds(2)),
        logger: testLogger)
}

/// Sends `messages` in order and waits for every delivery report; returns them by id.
func produceAll(_ producer: KafkaProducer, _ messages: [KafkaProducerMessage]) async throws -> [UInt64: KafkaDeliveryReport] {
    let expected = messages.count
    let reader = Task { () -> [UInt64: KafkaDeliveryReport] in
        var reports: [UInt64: KafkaDeliveryReport] = [:]
        var iterator = producer.deliveryReports.makeAsyncIterator()
        while reports.count < expected, let chunk = try await iterator.nextChunk() {
            for r in chunk { reports[r.id] = r }
        }
        return reports
    }
    for message in messages { try await producer.send(message) }
    let reports = try await reader.value
    for r in reports.values { #expect(r.isDelivered, "delivery of \(r.id): \(String(describing: r.error))") }
    return reports
}

/// A message read back from a topic.
struct Record: Sendable {
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    var partition: Int32
    var offset: Int64

    var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(value ?? []))) as? [String: Any] ?? [:]
    }
    func header(_ name: String) -> String? {
        headers.last { $0.key == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Reads `topic` from the beginning until `count` messages arrived, then keeps reading for
/// `settle` seconds to catch any extra message.
func readTopic(_ cluster: EmbeddedKafkaCluster, _ topic: String, count: Int, settle: Double = 1.5) async throws -> [Record] {
    let consumer = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(
            bootstrapServers: [cluster.bootstrapServers], groupID: "reader-\(UUID().uuidString)",
            autoOffsetReset: .earliest),
        topics: [topic], logger: testLogger)
    let box = RecordBox()
    let task = Task {
        for try await batch in consumer.batches {
            box.append(batch.map {
                Record(key: $0.key.map { Array($0) }, value: $0.value.map { Array($0) }, headers: $0.headers,
                       partition: $0.partition, offset: $0.offset)
            })
        }
    }
    defer { task.cancel() }
    if count > 0 { try await eventually(90, "\(count) messages on \(topic) (have \(box.count))") { box.count >= count } }
    try await Task.sleep(for: .seconds(settle))
    try await consumer.close()
    return box.records
}

final class RecordBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Record] = []
    func append(_ records: [Record]) { lock.withLock { stored += records } }
    var count: Int { lock.withLock { stored.count } }
    var records: [Record] { lock.withLock { stored } }
}

/// Runs a processor in the background.
final class RunningProcessor: Sendable {
    let processor: LiveProcessor
    let task: Task<Void, any Error>

    init(_ configuration: PipelineConfiguration, rules: RuleSet) {
        let processor = LiveProcessor(configuration: configuration, rules: rules, logger: testLogger)
        self.processor = processor
        self.task = Task { try await processor.run() }
    }

    /// Waits until `messages` input messages (transactions + labels) were processed.
    func waitForInput(_ messages: Int, timeout: Double = 120) async throws {
        let processor = self.processor
        try await eventually(timeout, "processing \(messages) input messages") {
            let s = processor.statistics
            return s.transactionMessages + s.labelMessages >= messages
        }
    }

    /// Stops and waits for `run()` to return (bounded).
    func stop() async throws {
        processor.stop()
        let task = self.task
        let done = Task { try await task.value }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(90))
            done.cancel()
        }
        defer { watchdog.cancel() }
        try await done.value
    }
}

func pipelineConfiguration(
    _ cluster: EmbeddedKafkaCluster, group: String, topics: PipelineTopics = PipelineTopics(), decisionLog: Bool = true,
    allowedLatenessDays: Int64 = 2, reorderWait: Duration = .seconds(2)
) -> PipelineConfiguration {
    var engine = EngineConfiguration.default
    engine.allowedLatenessMillis = allowedLatenessDays * 86_400_000
    return PipelineConfiguration(
        bootstrapServers: cluster.bootstrapServers, groupID: group, topics: topics, decisionLog: decisionLog,
        engine: engine, kafkaProperties: ["session.timeout.ms": "10000", "heartbeat.interval.ms": "500"],
        commitInterval: .milliseconds(200), maxBatchSize: 512, reorderWait: reorderWait)
}

func transactionJSON(
    id: String, card: String = "card-1", amount: String = "25.00", currency: String = "EUR",
    timestamp: String = "2026-04-01T10:00:00.000Z"
) -> String {
    #"{"transaction_id":"\#(id)","card_id":"\#(card)","merchant_id":"m-1","amount":\#(amount),"currency":"\#(currency)","timestamp":"\#(timestamp)","terminal_id":"t-1"}"#
}
