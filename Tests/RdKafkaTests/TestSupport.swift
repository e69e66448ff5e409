import Foundation
import Logging
import Testing

@testable import RdKafka

/// All RdKafka suites are nested in this serialized suite: each starts its own embedded
/// cluster and several librdkafka clients, which is as much as a loaded 2-core machine takes.
@Suite(.serialized) struct RdKafkaTests {}

/// Quiet logs unless RDKAFKA_TEST_LOG is set (then everything from `info` up).
let testLogger: Logger = {
    var logger = Logger(label: "rdkafka.test")
    logger.logLevel = ProcessInfo.processInfo.environment["RDKAFKA_TEST_LOG"] == nil ? .critical : .info
    return logger
}()

struct TimeoutError: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out: \(what)" }
}

/// Runs `body`, failing with TimeoutError after `seconds` (generous: never assert on speed).
func withTimeout<T: Sendable>(
    _ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimeoutError(what: what) }
        return value
    }
}

/// Polls `condition` every 50 ms until true or `seconds` elapse.
func eventually(_ seconds: Double, _ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TimeoutError(what: what)
}

func consumerConfiguration(
    _ cluster: EmbeddedKafkaCluster, group: String, reset: KafkaConsumerConfiguration.AutoOffsetReset = .earliest
) -> KafkaConsumerConfiguration {
    KafkaConsumerConfiguration(
        bootstrapServers: [cluster.bootstrapServers], groupID: group, autoOffsetReset: reset,
        sessionTimeout: .seconds(10), properties: ["heartbeat.interval.ms": "500"])
}

func producerConfiguration(_ cluster: EmbeddedKafkaCluster) -> KafkaProducerConfiguration {
    KafkaProducerConfiguration(bootstrapServers: [cluster.bootstrapServers], linger: .milliseconds(5))
}

/// Sends `messages` and waits for all their delivery reports (read concurrently, as the
/// report buffer is bounded). Returns the reports.
func produceAll(_ producer: KafkaProducer, _ messages: [KafkaProducerMessage], timeout: Double = 60) async throws
    -> [KafkaDeliveryReport]
{
    try await withTimeout(timeout, "delivery of \(messages.count) messages") {
        try await withThrowingTaskGroup(of: [KafkaDeliveryReport].self) { group in
            group.addTask {
                var reports: [KafkaDeliveryReport] = []
                var iterator = producer.deliveryReports.makeAsyncIterator()
                while reports.count < messages.count, let report = try await iterator.next() {
                    reports.append(report)
                }
                return reports
            }
            for message in messages { try await producer.send(message) }
            return try await group.next()!
        }
    }
}

/// Reads messages until `count` arrived (or times out).
/// Consumes batches until `done` holds for everything read so far (or the timeout throws).
func consume(
    _ consumer: KafkaConsumer, timeout: Double = 60, _ what: String,
    until done: @escaping @Sendable ([KafkaMessage]) -> Bool
) async throws -> [KafkaMessage] {
    try await withTimeout(timeout, "consuming until \(what)") {
        var result: [KafkaMessage] = []
        for try await batch in consumer.batches {
            result.append(contentsOf: batch)
            if done(result) { break }
        }
        return result
    }
}

func consume(_ consumer: KafkaConsumer, count: Int, timeout: Double = 60) async throws -> [KafkaMessage] {
    try await withTimeout(timeout, "consuming \(count) messages") {
        var result: [KafkaMessage] = []
        result.reserveCapacity(count)
        for try await batch in consumer.batches {
            result.append(contentsOf: batch)
            if result.count >= count { break }
        }
        return result
    }
}
