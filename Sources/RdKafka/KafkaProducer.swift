internal import CRdKafka
import Logging

/// An idempotent (by default) Kafka producer with delivery reports, back-pressure and
/// transactions.
///
/// ``send(_:)`` never blocks a thread: it enqueues the message in librdkafka and returns; when
/// librdkafka's queue is full (`queue.buffering.max.messages`/`kbytes`) it *waits* until
/// deliveries make room instead of failing. Outcomes arrive on ``deliveryReports``, polled by a
/// dedicated thread, each carrying the caller's id. ``flush(timeout:)`` and the transactional
/// calls block on a thread outside Swift's cooperative pool.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: "127.0.0.1:9092"))
/// try await producer.send(KafkaProducerMessage(topic: "alerts", key: "card-1", value: json, id: 42))
/// for try await report in producer.deliveryReports { ... }
/// ```
public final class KafkaProducer: Sendable {
    let client: RDKafkaClient
    let events: ProducerEventLoop
    private let closed = Locked(false)

    /// Creates the producer and starts its delivery-report thread.
    /// - Throws: ``KafkaError`` for an invalid configuration (naming an unknown property).
    ///   Does not contact the brokers; use ``checkConnection(timeout:)`` for that.
    public init(configuration: KafkaProducerConfiguration, logger: Logger = Logger(label: "rdkafka.producer")) throws {
        let client = try RDKafkaClient(
            kind: .producer, properties: configuration.librdkafkaProperties, logger: logger,
            usesEventQueue: true
        ) { conf in
            rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS))
        }
        self.client = client
        self.events = ProducerEventLoop(
            client: client, mode: configuration.deliveryReports,
            bufferChunks: configuration.deliveryReportBufferChunks,
            statisticsHandler: configuration.statisticsHandler,
            reportHandler: configuration.deliveryReportHandler)
        events.start()
    }

    deinit {
        // The event thread holds the client and destroys it when it exits.
        events.stop {}
    }

    /// Delivery reports, per ``KafkaProducerConfiguration/deliveryReports``.
    public var deliveryReports: KafkaDeliveryReports { KafkaDeliveryReports(producer: self) }

    /// Messages acknowledged and failed so far (counted even when reports are not surfaced).
    public var deliveryCounts: (delivered: Int, failed: Int) { events.counts }

    /// Messages waiting in librdkafka: queued, in flight, or with an unread delivery report.
    public var outstandingMessageCount: Int { Int(rd_kafka_outq_len(client.handle)) }

    // MARK: Sending

    /// Enqueues `message` for delivery. Waits (without blocking a thread) while the local queue
    /// is full. Throws a ``KafkaError`` for an invalid message (e.g. too large, unknown
    /// partition), a fatal producer error, or after ``close(timeout:)``.
    public func send(_ message: KafkaProducerMessage) async throws {
        let rkt = try client.topicHandle(message.topic)
        try await send(rkt: rkt, topic: message.topic, partition: message.partition, headers: message.headers,
                       timestamp: message.timestamp, id: message.id) { produce in
            withOptionalBytes(message.key) { key in withOptionalBytes(message.value) { value in produce(key, value) } }
        }
    }

    /// Enqueues a keyed message without copying key or value into an intermediate array when
    /// they are contiguous (`[UInt8]`, `ArraySlice`, `String.UTF8View`, `Data`…). For a null
    /// key or value (tombstone) use ``send(_:)``.
    public func send(
        topic: String, key: some Collection<UInt8> & Sendable, value: some Collection<UInt8> & Sendable,
        partition: Int32? = nil, headers: [KafkaHeader] = [], timestamp: Int64? = nil, id: UInt64 = 0
    ) async throws {
        let rkt = try client.topicHandle(topic)
        try await send(rkt: rkt, topic: topic, partition: partition, headers: headers, timestamp: timestamp, id: id) {
            produce in
            let result = key.withContiguousStorageIfAvailable { k in
                value.withContiguousStorageIfAvailable { v in produce(UnsafeRawBufferPointer(k), UnsafeRawBufferPointer(v)) }
            }
            if let result, let err = result { return err }
            return Array(key).withUnsafeBytes { k in Array(value).withUnsafeBytes { v in produce(k, v) } }
        }
    }

    /// Enqueues a keyed message from byte arrays (the fastest path: no generic dispatch).
    public func send(
        topic: String, key: [UInt8], value: [UInt8], partition: Int32? = nil, headers: [KafkaHeader] = [],
        timestamp: Int64? = nil, id: UInt64 = 0
    ) async throws {
        let rkt = try client.topicHandle(topic)
        try await send(rkt: rkt, topic: topic, partition: partition, headers: headers, timestamp: timestamp, id: id) {
            produce in
            key.withUnsafeBytes { k in value.withUnsafeBytes { v in produce(k, v) } }
        }
    }

    private typealias Produce = (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?) -> rd_kafka_resp_err_t

    private func send(
        rkt: OpaquePointer, topic: String, partition: Int32?, headers: [KafkaHeader], timestamp: Int64?, id: UInt64,
        _ withBytes: (Produce) -> rd_kafka_resp_err_t
    ) async throws {
        if closed.withLock({ $0 }) {
            throw KafkaError(code: .invalidState, message: "the producer is closed")
        }
        let rk = client.handle
        let opaque = UnsafeMutableRawPointer(bitPattern: UInt(id))
        let partition = partition ?? fs_rd_kafka_partition_ua()
        let timestamp = timestamp ?? 0
        func attempt() -> rd_kafka_resp_err_t {
            withBytes { key, value in
                let hdrs = makeHeaders(headers)
                let err = fs_rd_kafka_produce(
                    rk, rkt, partition, key?.baseAddress, key?.count ?? 0, value?.baseAddress, value?.count ?? 0, hdrs,
                    timestamp, opaque)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs { rd_kafka_headers_destroy(hdrs) }
                return err
            }
        }
        var err = attempt()
        while err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            // Read the generation before retrying, so a completion after the retry wakes us.
            let generation = events.space.generation
            err = attempt()
            if err != RD_KAFKA_RESP_ERR__QUEUE_FULL { break }
            if let fatal = events.fatalError { throw fatal }
            try Task.checkCancellation()
            await events.space.wait(after: generation)
            try Task.checkCancellation()
            if closed.withLock({ $0 }) || events.isStopped {
                throw KafkaError(code: .invalidState, message: "the producer closed while this send waited for queue space")
            }
            err = attempt()
        }
        if err == RD_KAFKA_RESP_ERR_NO_ERROR { return }
        if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = events.fatalError { throw fatal }
        throw KafkaError(err, context: "produce to \(topic)")
    }

    // MARK: Flushing and lifecycle

    /// Waits until every enqueued message is delivered or failed (and its report handed over),
    /// or throws ``KafkaError/Code/timedOut``. Blocks a thread outside the cooperative pool.
    public func flush(timeout: Duration = .seconds(30)) async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            let err = rd_kafka_flush(client.handle, Int32(timeout.milliseconds))
            if err == RD_KAFKA_RESP_ERR__TIMED_OUT {
                throw KafkaError(
                    code: .timedOut,
                    message: "flush timed out after \(timeout) with \(rd_kafka_outq_len(client.handle)) message(s) outstanding")
            }
            try KafkaError.check(err, context: "flush")
        }
    }

    /// Flushes (up to `timeout`), then stops the delivery-report thread and ends
    /// ``deliveryReports``. Later sends throw. Throws if the flush timed out.
    public func close(timeout: Duration = .seconds(30)) async throws {
        let wasClosed = closed.withLock { c -> Bool in
            defer { c = true }
            return c
        }
        if wasClosed { return }
        var flushError: (any Error)?
        do { try await flush(timeout: timeout) } catch { flushError = error }
        await withCheckedContinuation { continuation in events.stop { continuation.resume() } }
        if let flushError { throw flushError }
    }

    // MARK: Transactions

    /// Initialises transactions for ``KafkaProducerConfiguration/transactionalID`` (fencing
    /// older instances). Call once, before ``beginTransaction()``.
    public func initTransactions(timeout: Duration = .seconds(60)) async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            try KafkaError.check(
                rd_kafka_init_transactions(client.handle, Int32(timeout.milliseconds)), context: "init transactions")
        }
    }

    /// Begins a transaction (local, does not block).
    public func beginTransaction() throws {
        try KafkaError.check(rd_kafka_begin_transaction(client.handle), context: "begin transaction")
    }

    /// Adds consumed offsets (next offsets, i.e. last processed + 1) to the current transaction,
    /// so they commit atomically with the produced messages (exactly-once processing).
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartition: Int64], groupMetadata: KafkaConsumerGroupMetadata,
        timeout: Duration = .seconds(60)
    ) async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            try TopicPartitionList.withList(offsets: offsets) { (list) throws(KafkaError) in
                try KafkaError.check(
                    rd_kafka_send_offsets_to_transaction(
                        client.handle, list, groupMetadata.pointer, Int32(timeout.milliseconds)),
                    context: "send offsets to transaction")
            }
        }
    }

    /// Commits the current transaction (flushing its messages first). On an error with
    /// ``KafkaError/isTransactionAbortable`` call ``abortTransaction(timeout:)``; with
    /// ``KafkaError/isRetriable`` retry the commit; with ``KafkaError/isFatal`` recreate the producer.
    public func commitTransaction(timeout: Duration = .seconds(60)) async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            try KafkaError.check(
                rd_kafka_commit_transaction(client.handle, Int32(timeout.milliseconds)), context: "commit transaction")
        }
    }

    /// Aborts the current transaction: its messages are marked aborted (read_committed
    /// consumers skip them on a real broker) and its offsets are not committed.
    public func abortTransaction(timeout: Duration = .seconds(60)) async throws {
        try await Blocking.run { [client] () throws(KafkaError) in
            try KafkaError.check(
                rd_kafka_abort_transaction(client.handle, Int32(timeout.milliseconds)), context: "abort transaction")
        }
    }

    // MARK: Cluster

    /// Cluster metadata (brokers, all topics). Never creates topics.
    public func metadata(timeout: Duration = .seconds(10)) async throws -> KafkaClusterMetadata {
        try await Blocking.run { [client] () throws(KafkaError) in try client.metadata(timeout: timeout) }
    }

    /// Throws a clear ``KafkaError`` if no broker answers within `timeout`.
    public func checkConnection(timeout: Duration = .seconds(10)) async throws {
        _ = try await metadata(timeout: timeout)
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// A new `rd_kafka_headers_t` for `headers`, or nil when there are none.
private func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
    guard !headers.isEmpty else { return nil }
    let hdrs = rd_kafka_headers_new(headers.count)!
    for header in headers {
        if let value = header.value {
            value.withUnsafeBytes { _ = rd_kafka_header_add(hdrs, header.key, -1, $0.baseAddress, $0.count) }
        } else {
            _ = rd_kafka_header_add(hdrs, header.key, -1, nil, 0)
        }
    }
    return hdrs
}
