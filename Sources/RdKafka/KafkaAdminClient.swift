internal import CRdKafka
import Logging

/// Cluster administration: create topics, read metadata, check connectivity.
///
/// Every call blocks a thread outside Swift's cooperative pool and is bounded by its timeout.
public final class KafkaAdminClient: Sendable {
    let client: RDKafkaClient

    /// Creates the client. Does not contact the brokers.
    /// - Throws: ``KafkaError`` for an invalid configuration (naming an unknown property).
    public init(configuration: KafkaConfiguration, logger: Logger = Logger(label: "rdkafka.admin")) throws {
        client = try RDKafkaClient(
            kind: .producer, properties: configuration.librdkafkaProperties, logger: logger,
            statisticsHandler: configuration.statisticsHandler)
    }

    /// Cluster metadata: brokers, all topics and their partitions. Never creates topics.
    public func metadata(timeout: Duration = .seconds(10)) async throws -> KafkaClusterMetadata {
        try await Blocking.run { [client] () throws(KafkaError) in try client.metadata(timeout: timeout) }
    }

    /// Throws a clear ``KafkaError`` (naming the bootstrap servers and the last connection
    /// error) if no broker answers within `timeout`. Call it at start-up to fail fast.
    public func checkConnection(timeout: Duration = .seconds(10)) async throws {
        _ = try await metadata(timeout: timeout)
    }

    /// Throws ``KafkaError/Code/unknownTopicOrPartition`` naming every topic in `names` the
    /// cluster does not have. Never creates topics.
    public func requireTopics(_ names: [String], timeout: Duration = .seconds(10)) async throws {
        let metadata = try await self.metadata(timeout: timeout)
        let missing = names.filter { name in metadata.topic(name).map { $0.error != nil } ?? true }
        if !missing.isEmpty {
            throw KafkaError(
                code: .unknownTopicOrPartition,
                message: "topic(s) not found: \(missing.joined(separator: ", "))", isRetriable: false)
        }
    }

    /// Creates topics with the CreateTopics API (requires a real broker: the embedded mock
    /// cluster of librdkafka 2.0.2 does not implement it and the call times out — create
    /// embedded topics with ``EmbeddedKafkaCluster/createTopic(_:partitions:replicationFactor:)``).
    /// Throws the first per-topic error (e.g. ``KafkaError/Code/topicAlreadyExists``).
    public func createTopics(_ topics: [KafkaNewTopic], timeout: Duration = .seconds(30)) async throws {
        guard !topics.isEmpty else { return }
        try await Blocking.run { [client] () throws(KafkaError) in
            try Self.createTopics(client.handle, topics, timeout: timeout)
        }
    }

    private static func createTopics(_ rk: OpaquePointer, _ topics: [KafkaNewTopic], timeout: Duration)
        throws(KafkaError)
    {
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard
                let nt = rd_kafka_NewTopic_new(
                    topic.name, Int32(clamping: topic.partitions), Int32(clamping: topic.replicationFactor), &errstr,
                    errstr.count)
            else {
                throw KafkaError(
                    code: .invalidArgument, message: "topic \"\(topic.name)\": \(String.fromCBuffer(errstr))")
            }
            newTopics.append(nt)
            for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                try KafkaError.check(rd_kafka_NewTopic_set_config(nt, key, value), context: "topic config \(key)")
            }
        }
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        let ms = Int32(timeout.milliseconds)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, ms, &errstr, errstr.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, ms, &errstr, errstr.count)
        let queue = rd_kafka_queue_new(rk)
        defer { rd_kafka_queue_destroy(queue) }
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(rk, buffer.baseAddress, buffer.count, options, queue)
        }
        // The request timeout bounds the operation; the margin covers local scheduling.
        guard let event = rd_kafka_queue_poll(queue, ms + 5000) else {
            throw KafkaError(code: .timedOut, message: "CreateTopics got no answer within \(timeout)")
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            throw KafkaError(code: KafkaError.Code(err), message: "CreateTopics failed: \(text)")
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for i in 0..<count {
            let r = results[i]
            let topicErr = rd_kafka_topic_result_error(r)
            if topicErr != RD_KAFKA_RESP_ERR_NO_ERROR {
                let name = String(cString: rd_kafka_topic_result_name(r))
                let text = rd_kafka_topic_result_error_string(r).map { String(cString: $0) } ?? ""
                throw KafkaError(code: KafkaError.Code(topicErr), message: "create topic \"\(name)\": \(text)")
            }
        }
    }
}
