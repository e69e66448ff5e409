internal import CRdKafka
import Logging

/// An in-process Kafka cluster for development, tests, demos and benchmarks: librdkafka's
/// *mock cluster*.
///
/// It is a real Kafka-protocol server on loopback (`127.0.0.1`, one ephemeral port per broker)
/// that any Kafka client can use — this library, kcat, confluent-kafka. It supports producing
/// (idempotent and transactional), consumer groups with committed offsets, offsets-for-times,
/// metadata, and fault injection (broker down/up, round-trip time, per-request error stacks,
/// leader and coordinator placement).
///
/// Limits, from librdkafka 2.0.2:
/// - Keeps only about the last **5 MB per partition** (older message sets are dropped; the
///   low watermark moves up). Size benchmark and test topics accordingly.
/// - No `read_committed` filtering: messages of aborted transactions are still delivered.
/// - No CreateTopics API: ``KafkaAdminClient/createTopics(_:timeout:)`` times out. Create
///   topics with ``createTopic(_:partitions:replicationFactor:)``. A metadata request or
///   produce for an unknown topic (when the client allows auto-creation, producers do by
///   default) auto-creates it with 4 partitions.
/// - Nothing is persisted: the data lives as long as this object (or ``shutdown()``).
///
/// Production uses a real Kafka cluster: give its `bootstrap.servers` to the clients instead.
///
/// Fault-injection calls return quickly (they hand an operation to the mock's thread).
public final class EmbeddedKafkaCluster: Sendable {
    /// The `bootstrap.servers` string of the cluster's brokers, e.g. `127.0.0.1:40279`.
    public let bootstrapServers: String
    /// The number of brokers; their ids are `1...brokerCount`.
    public let brokerCount: Int
    /// How many of the brokers' listening sockets have Nagle's algorithm disabled
    /// (`TCP_NODELAY`, inherited by the connections they accept); `brokerCount` normally.
    ///
    /// librdkafka's mock brokers set no TCP option on the connections they accept, and
    /// `socket.nagle.disable` applies to the client's end only. With Nagle's algorithm on at
    /// the broker's end, a small response written while an earlier one is unacknowledged
    /// waits for the client's delayed acknowledgement (40 ms on Linux): in `bench e2e` at
    /// 10,000 tx/s that was a 45 ms stall about once a second.
    public let noDelayListeners: Int
    private let client: RDKafkaClient
    private let cluster: Locked<SendablePointer?>

    /// Starts a cluster of `brokers` brokers on loopback.
    /// Consumer properties for low latency against the embedded broker: the mock cluster
    /// answers a fetch that finds no data only after the full `fetch.wait.max.ms` (default
    /// 500 ms) instead of as soon as data arrives, as a real broker does. Harmless with a
    /// real cluster (more, smaller fetch requests).
    public static let lowLatencyConsumerProperties: [String: String] = ["fetch.wait.max.ms": "1", "socket.nagle.disable": "true"]

    public init(brokers: Int = 1, logger: Logger = Logger(label: "rdkafka.embedded")) throws {
        precondition(brokers >= 1, "a cluster needs at least one broker")
        // The mock cluster needs a handle for bookkeeping; it has no bootstrap servers itself.
        let client = try RDKafkaClient(
            kind: .producer, properties: [("client.id", "embedded-kafka-cluster")], logger: logger,
            quietConfigWarnings: true)
        guard let mcluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            throw KafkaError(code: .invalidState, message: "could not start the embedded Kafka cluster")
        }
        self.client = client
        self.brokerCount = brokers
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mcluster))
        self.cluster = Locked(SendablePointer(mcluster))
        // Before any client connects: accepted connections inherit the option.
        var noDelay = 0
        for address in bootstrapServers.split(separator: ",") {
            guard let port = address.split(separator: ":").last.flatMap({ Int32($0) }) else { continue }
            let found = fs_nodelay_listeners_on_port(port)
            if found < 1 {
                logger.warning(
                    "embedded Kafka cluster: found no listening socket on port \(port) to disable Nagle's algorithm on; its responses may wait up to 40 ms for the client's delayed acknowledgement")
            }
            noDelay += max(0, Int(found))
        }
        self.noDelayListeners = noDelay
    }

    /// Starts a cluster and creates `topics` (name → partition count).
    public convenience init(brokers: Int = 1, topics: [String: Int], logger: Logger = Logger(label: "rdkafka.embedded"))
        throws
    {
        try self.init(brokers: brokers, logger: logger)
        for (name, partitions) in topics.sorted(by: { $0.key < $1.key }) {
            try createTopic(name, partitions: partitions)
        }
    }

    deinit { shutdown() }

    /// Stops the brokers (clients see their connections drop). Later calls on this object throw.
    public func shutdown() {
        cluster.withLock { pointer in
            if let mcluster = pointer?.pointer { rd_kafka_mock_cluster_destroy(mcluster) }
            pointer = nil
        }
    }

    private func withCluster<R>(_ what: String, _ body: (OpaquePointer) -> R) throws(KafkaError) -> R {
        let result: R? = cluster.withLock { pointer in pointer.map { body($0.pointer) } }
        guard let result else {
            throw KafkaError(code: .invalidState, message: "\(what): the embedded cluster is shut down")
        }
        return result
    }

    private func check(_ what: String, _ body: (OpaquePointer) -> rd_kafka_resp_err_t) throws(KafkaError) {
        try KafkaError.check(try withCluster(what, body), context: what)
    }

    /// Creates a topic with `partitions` partitions, leaders spread over the brokers.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws {
        try check("create topic \(name)") {
            rd_kafka_mock_topic_create($0, name, Int32(clamping: partitions), Int32(clamping: replicationFactor))
        }
    }

    /// Takes broker `id` down: its connections close and it refuses new ones.
    public func setBrokerDown(_ id: Int32) throws {
        try check("broker \(id) down") { rd_kafka_mock_broker_set_down($0, id) }
    }

    /// Brings broker `id` back up.
    public func setBrokerUp(_ id: Int32) throws {
        try check("broker \(id) up") { rd_kafka_mock_broker_set_up($0, id) }
    }

    /// Delays every response of broker `id` by `rtt` (zero removes the delay).
    public func setRoundTripTime(_ rtt: Duration, broker id: Int32) throws {
        try check("broker \(id) rtt") { rd_kafka_mock_broker_set_rtt($0, id, rtt.milliseconds) }
    }

    /// Makes the next `errors.count` requests of type `api` (to any broker) fail with these
    /// errors, in order. Use codes such as ``KafkaError/Code/notLeaderForPartition`` or
    /// ``KafkaError/Code/requestTimedOut`` (broker-side codes).
    public func pushRequestErrors(_ errors: [KafkaError.Code], for api: KafkaProtocolAPI) throws {
        let codes = errors.map(\.cValue)
        try withCluster("push request errors") { mcluster in
            codes.withUnsafeBufferPointer {
                rd_kafka_mock_push_request_errors_array(mcluster, api.key, $0.count, $0.baseAddress)
            }
        }
    }

    /// Makes the next requests of type `api` to broker `id` answer with these errors after
    /// these delays, in order (error `nil` = success after the delay).
    public func pushRequestErrors(
        _ errors: [(error: KafkaError.Code?, roundTripTime: Duration)], for api: KafkaProtocolAPI, broker id: Int32
    ) throws {
        for entry in errors {
            try check("push request error to broker \(id)") {
                fs_rd_kafka_mock_broker_push_request_error_rtt(
                    $0, id, api.key, entry.error?.cValue ?? RD_KAFKA_RESP_ERR_NO_ERROR, entry.roundTripTime.milliseconds)
            }
        }
    }

    /// Clears the cluster-wide error stack of `api`.
    public func clearRequestErrors(for api: KafkaProtocolAPI) throws {
        try withCluster("clear request errors") { rd_kafka_mock_clear_request_errors($0, api.key) }
    }

    /// Makes metadata answer `error` for `topic` (e.g. ``KafkaError/Code/unknownTopicOrPartition``,
    /// to act like a broker without auto-creation); `nil` clears it.
    public func setTopicError(_ topic: String, _ error: KafkaError.Code?) throws {
        try withCluster("topic error") {
            rd_kafka_mock_topic_set_error($0, topic, error?.cValue ?? RD_KAFKA_RESP_ERR_NO_ERROR)
        }
    }

    /// Moves the leadership of a partition to broker `id` (-1: no leader).
    public func setPartitionLeader(topic: String, partition: Int32, broker id: Int32) throws {
        try check("partition leader") { rd_kafka_mock_partition_set_leader($0, topic, partition, id) }
    }

    /// Places the coordinator of consumer group `groupID` on broker `id`.
    public func setGroupCoordinator(groupID: String, broker id: Int32) throws {
        try check("group coordinator") { rd_kafka_mock_coordinator_set($0, "group", groupID, id) }
    }

    /// Places the coordinator of `transactionalID` on broker `id`.
    public func setTransactionCoordinator(transactionalID: String, broker id: Int32) throws {
        try check("transaction coordinator") { rd_kafka_mock_coordinator_set($0, "transaction", transactionalID, id) }
    }
}
