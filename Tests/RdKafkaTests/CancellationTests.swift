import Testing

@testable import RdKafka

extension RdKafkaTests {
    /// A task that is cancelled while (or before) it waits on a hand-over ends with
    /// `CancellationError` instead of waiting for data that may never come.
    @Suite struct CancellationTests {
        @Test func aCancelledDeliveryReportReaderEndsInsteadOfWaiting() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["quiet": 1], logger: testLogger)
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger)
            // Nothing is ever sent, so no report will come: only cancellation can end these.
            let alreadyCancelled = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                for try await _ in producer.deliveryReports {}
            }
            let cancelledWhileWaiting = Task { for try await _ in producer.deliveryReports {} }
            try await Task.sleep(for: .milliseconds(200))
            cancelledWhileWaiting.cancel()
            for task in [alreadyCancelled, cancelledWhileWaiting] {
                let outcome = try await withTimeout(30, "cancelled delivery-report reader") { () async -> String in
                    do {
                        try await task.value
                        return "finished"
                    } catch is CancellationError {
                        return "cancelled"
                    } catch {
                        return "\(error)"
                    }
                }
                #expect(outcome == "cancelled")
            }
            try await producer.close(timeout: .seconds(5))
        }

        @Test func aCancelledBatchReaderEndsInsteadOfWaiting() async throws {
            let cluster = try EmbeddedKafkaCluster(topics: ["idle": 2], logger: testLogger)
            let consumer = try KafkaConsumer(
                configuration: consumerConfiguration(cluster, group: "cancel-idle"), topics: ["idle"], logger: testLogger)
            let reader = Task { for try await _ in consumer.batches {} }
            try await Task.sleep(for: .milliseconds(500))
            reader.cancel()
            let outcome = try await withTimeout(30, "cancelled batch reader") { () async -> String in
                do {
                    try await reader.value
                    return "finished"
                } catch is CancellationError {
                    return "cancelled"
                } catch {
                    return "\(error)"
                }
            }
            #expect(outcome == "cancelled")
            try await consumer.close()
        }

        @Test func aSendWaitingForQueueSpaceEndsOnCancellationAndOnClose() async throws {
            let cluster = try EmbeddedKafkaCluster(brokers: 1, topics: ["stuck": 1], logger: testLogger)
            var configuration = producerConfiguration(cluster)
            configuration.queueBufferingMaxMessages = 5
            configuration.deliveryReports = .none
            let producer = try KafkaProducer(configuration: configuration, logger: testLogger)
            try cluster.setBrokerDown(1)  // nothing completes: the queue stays full
            for i in 0..<5 { try await producer.send(topic: "stuck", key: "k".utf8, value: "v\(i)".utf8, id: UInt64(i)) }

            func outcome(_ task: Task<Void, any Error>) async throws -> String {
                try await withTimeout(30, "send waiting for queue space") { () async -> String in
                    do {
                        try await task.value
                        return "sent"
                    } catch is CancellationError {
                        return "cancelled"
                    } catch let error as KafkaError {
                        return error.code == .invalidState ? "closed" : "\(error)"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            let cancelled = Task { try await producer.send(topic: "stuck", key: "k".utf8, value: "late".utf8, id: 100) }
            try await Task.sleep(for: .milliseconds(300))
            cancelled.cancel()
            #expect(try await outcome(cancelled) == "cancelled")

            let waiting = Task { try await producer.send(topic: "stuck", key: "k".utf8, value: "later".utf8, id: 101) }
            try await Task.sleep(for: .milliseconds(300))
            await #expect(throws: KafkaError.self) { try await producer.close(timeout: .milliseconds(500)) }
            #expect(try await outcome(waiting) == "closed")
        }
    }
}
