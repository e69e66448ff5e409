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
    }
}
