internal import CRdKafka

/// The one error type of the Kafka layer.
///
/// Wraps a librdkafka error: its ``Code`` (an opaque value compared with the named constants),
/// the code's symbolic ``name`` (e.g. `_TIMED_OUT`, `UNKNOWN_TOPIC_OR_PART`), a human-readable
/// ``message`` and the flags librdkafka attaches to errors of the transactional and idempotent
/// producer.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A librdkafka error code. Opaque: compare it with the static constants.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let rawValue: Int32

        init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ err: rd_kafka_resp_err_t) { self.rawValue = err.rawValue }

        var cValue: rd_kafka_resp_err_t { rd_kafka_resp_err_t(rawValue: rawValue) }

        /// librdkafka's symbolic name of the code, e.g. `_TRANSPORT` or `NOT_COORDINATOR`.
        public var name: String { String(cString: rd_kafka_err2name(cValue)) }
        /// librdkafka's short description of the code.
        public var description: String { String(cString: rd_kafka_err2str(cValue)) }

        /// A local timeout (`_TIMED_OUT`).
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// A broker connection failed (`_TRANSPORT`).
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        /// No broker is reachable (`_ALL_BROKERS_DOWN`).
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        /// The local producer queue is full (`_QUEUE_FULL`); ``KafkaProducer`` waits instead.
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// An invalid argument or configuration (`_INVALID_ARG`), e.g. an unknown property.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// The operation is not valid in the current state (`_STATE`).
        public static let invalidState = Code(RD_KAFKA_RESP_ERR__STATE)
        /// Topic unknown to the local client (`_UNKNOWN_TOPIC`).
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        /// Partition unknown to the local client (`_UNKNOWN_PARTITION`).
        public static let unknownPartition = Code(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        /// The broker does not know the topic or partition (`UNKNOWN_TOPIC_OR_PART`).
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        /// A message was not delivered within `message.timeout.ms` (`_MSG_TIMED_OUT`).
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// A fatal error occurred; the client must be recreated (`_FATAL`).
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        /// The producer was fenced by a newer instance with the same transactional id (`_FENCED`).
        public static let fenced = Code(RD_KAFKA_RESP_ERR__FENCED)
        /// The client is being destroyed (`_DESTROY`).
        public static let destroyed = Code(RD_KAFKA_RESP_ERR__DESTROY)
        /// No offset to commit or fetch (`_NO_OFFSET`).
        public static let noOffset = Code(RD_KAFKA_RESP_ERR__NO_OFFSET)
        /// A message was purged from the producer queue (`_PURGE_QUEUE`).
        public static let purgedQueue = Code(RD_KAFKA_RESP_ERR__PURGE_QUEUE)
        /// Requested offset is outside the log (`OFFSET_OUT_OF_RANGE`).
        public static let offsetOutOfRange = Code(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE)
        /// The broker is not the leader of the partition (`NOT_LEADER_FOR_PARTITION`).
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        /// The partition has no leader right now (`LEADER_NOT_AVAILABLE`).
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        /// A broker-side request timeout (`REQUEST_TIMED_OUT`).
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        /// A broker-side network failure (`NETWORK_EXCEPTION`).
        public static let networkException = Code(RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION)
        /// The broker is not the coordinator (`NOT_COORDINATOR`).
        public static let notCoordinator = Code(RD_KAFKA_RESP_ERR_NOT_COORDINATOR)
        /// The coordinator is not available (`COORDINATOR_NOT_AVAILABLE`).
        public static let coordinatorNotAvailable = Code(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE)
        /// Fewer in-sync replicas than required (`NOT_ENOUGH_REPLICAS`).
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        /// The group is rebalancing (`REBALANCE_IN_PROGRESS`).
        public static let rebalanceInProgress = Code(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
        /// The group generation is stale (`ILLEGAL_GENERATION`).
        public static let illegalGeneration = Code(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION)
        /// The topic already exists (`TOPIC_ALREADY_EXISTS`).
        public static let topicAlreadyExists = Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        /// The broker does not support the request (`_UNSUPPORTED_FEATURE`).
        public static let unsupportedFeature = Code(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE)
        /// The offset is not available (`OFFSET_NOT_AVAILABLE`).
        public static let offsetNotAvailable = Code(RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE)
        /// Concurrent transactions on the coordinator (`CONCURRENT_TRANSACTIONS`).
        public static let concurrentTransactions = Code(RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS)
    }

    /// The librdkafka error code.
    public var code: Code
    /// The symbolic name of ``code`` (e.g. `_TIMED_OUT`).
    public var name: String
    /// What went wrong, in words, including context added by this library.
    public var message: String
    /// The client instance is unusable after this error and must be recreated.
    public var isFatal: Bool
    /// The operation may succeed if retried.
    public var isRetriable: Bool
    /// The current transaction must be aborted (transactional producer only).
    public var isTransactionAbortable: Bool

    /// Creates an error from a code, with an optional message (defaults to librdkafka's text).
    public init(
        code: Code, message: String? = nil, isFatal: Bool = false, isRetriable: Bool? = nil,
        isTransactionAbortable: Bool = false
    ) {
        self.code = code
        self.name = code.name
        self.message = message ?? code.description
        self.isFatal = isFatal
        self.isRetriable = isRetriable ?? Self.retriableCodes.contains(code)
        self.isTransactionAbortable = isTransactionAbortable
    }

    /// Takes ownership of an `rd_kafka_error_t` and frees it.
    init(consuming error: OpaquePointer, context: String? = nil) {
        let code = Code(rd_kafka_error_code(error))
        let text = String(cString: rd_kafka_error_string(error))
        self.init(
            code: code,
            message: context.map { "\($0): \(text)" } ?? text,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isTransactionAbortable: rd_kafka_error_txn_requires_abort(error) != 0
        )
        rd_kafka_error_destroy(error)
    }

    init(_ err: rd_kafka_resp_err_t, context: String? = nil) {
        let code = Code(err)
        self.init(code: code, message: context.map { "\($0): \(code.description)" })
    }

    /// Throws the `rd_kafka_error_t` if not NULL, freeing it.
    static func check(_ error: OpaquePointer?, context: String? = nil) throws(KafkaError) {
        if let error { throw KafkaError(consuming: error, context: context) }
    }

    /// Throws if `err` is not `RD_KAFKA_RESP_ERR_NO_ERROR`.
    static func check(_ err: rd_kafka_resp_err_t, context: String? = nil) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, context: context) }
    }

    private static let retriableCodes: Set<Code> = [
        .timedOut, .transport, .allBrokersDown, .queueFull, .notLeaderForPartition, .leaderNotAvailable,
        .requestTimedOut, .networkException, .notCoordinator, .coordinatorNotAvailable, .notEnoughReplicas,
        .rebalanceInProgress, .concurrentTransactions, .offsetNotAvailable,
    ]

    /// The name, message and flags, e.g. `KafkaError(_TIMED_OUT): … [retriable]`.
    public var description: String {
        var flags: [String] = []
        if isFatal { flags.append("fatal") }
        if isRetriable { flags.append("retriable") }
        if isTransactionAbortable { flags.append("abort transaction") }
        let suffix = flags.isEmpty ? "" : " [\(flags.joined(separator: ", "))]"
        return "KafkaError(\(name)): \(message)\(suffix)"
    }
}
