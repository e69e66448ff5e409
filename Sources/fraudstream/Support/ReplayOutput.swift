import FraudIO
import Foundation
import RdKafka

/// Where a replay's decision records go: an NDJSON file, or a topic (keyed by card, every
/// record acknowledged before the replay reports success).
final class ReplayOutput {
    /// The file writer, when the output is a file.
    let writer: NDJSONFileWriter?
    private let producer: KafkaProducer?
    private let topic: String?
    private let failures: FailureCount?
    /// The file written, if any.
    let filePath: String?

    private init(writer: NDJSONFileWriter?, producer: KafkaProducer?, topic: String?, failures: FailureCount?, filePath: String?) {
        self.writer = writer
        self.producer = producer
        self.topic = topic
        self.failures = failures
        self.filePath = filePath
    }

    /// Opens the file (or `-`, standard output) or the topic (checked to exist within `timeout`).
    static func open(file: String?, topic: String?, kafka: KafkaOptions, timeout: Double) async throws -> ReplayOutput {
        if let file {
            return ReplayOutput(
                writer: try ReplaySetup.writer(file), producer: nil, topic: nil, failures: nil,
                filePath: file == "-" ? nil : file)
        }
        let topic = topic!
        let failures = FailureCount()
        var configuration = KafkaProducerConfiguration(
            bootstrapServers: kafka.bootstrap!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, clientID: "fraudstream-replay",
            linger: .milliseconds(20), deliveryReports: .errorsOnly,
            deliveryReportHandler: { reports in failures.add(reports) }, properties: try kafka.properties)
        configuration.properties["socket.nagle.disable"] = configuration.properties["socket.nagle.disable"] ?? "true"
        let producer = try KafkaProducer(configuration: configuration)
        do {
            let admin = try KafkaAdminClient(configuration: KafkaConfiguration(bootstrapServers: kafka.bootstrap!, properties: try kafka.properties))
            let metadata = try await admin.metadata(timeout: .seconds(timeout))
            guard metadata.topics.contains(where: { $0.name == topic }) else {
                throw CommandFailure("replay: --out-topic \(topic) does not exist; create it first (a replay never creates topics)")
            }
        } catch let error as KafkaError {
            throw CommandFailure("replay: cannot reach the cluster for --out-topic: \(error)")
        }
        return ReplayOutput(writer: nil, producer: producer, topic: topic, failures: failures, filePath: nil)
    }

    /// Writes one record.
    func write(_ record: [UInt8], key: String) async throws {
        if let writer {
            writer.buffer.append(contentsOf: record)
            try writer.endLine()
        } else {
            try await producer!.send(topic: topic!, key: Array(key.utf8), value: record)
        }
    }

    /// Flushes; for a topic, waits for every acknowledgement and fails if any record was not
    /// delivered.
    func close() async throws {
        if let writer { try writer.close() }
        if let producer {
            try await producer.close(timeout: .seconds(60))
            if let failed = failures?.first {
                throw CommandFailure("replay: \(failures!.count) decision records not delivered to \(topic!), e.g. \(failed)")
            }
        }
    }
}

/// Failed deliveries, counted on the producer's event thread.
private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = 0
    private var sample: String?

    func add(_ reports: [KafkaDeliveryReport]) {
        lock.withLock {
            for report in reports where report.error != nil {
                failed += 1
                if sample == nil { sample = "\(report.error!)" }
            }
        }
    }

    var count: Int { lock.withLock { failed } }
    var first: String? { lock.withLock { sample } }
}
