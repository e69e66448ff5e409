internal import CRdKafka
import Foundation
import Logging

/// Per-handle state reached from librdkafka's C callbacks through the `rd_kafka_t` opaque.
///
/// `@unchecked Sendable` invariant: `logger`, `statisticsHandler` and `bootstrapServers` are
/// immutable; `consumerLoop` is written once before the handle's poll thread starts and only
/// read on that thread afterwards; `lastError` is guarded by its lock.
final class RDKafkaClientContext: @unchecked Sendable {
    let logger: Logger
    let statisticsHandler: (@Sendable (String) -> Void)?
    let bootstrapServers: String
    /// Messages whose CONFWARN log lines are expected and only worth `debug`.
    let quietConfigWarnings: Bool
    weak var consumerLoop: ConsumerPollLoop?
    let lastError = Locked<String?>(nil)

    init(logger: Logger, bootstrapServers: String, statisticsHandler: (@Sendable (String) -> Void)?,
         quietConfigWarnings: Bool = false) {
        self.logger = logger
        self.bootstrapServers = bootstrapServers
        self.statisticsHandler = statisticsHandler
        self.quietConfigWarnings = quietConfigWarnings
    }

    static func from(_ rk: OpaquePointer?) -> RDKafkaClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    func log(level: Int32, facility: String, message: String) {
        let swiftLevel: Logger.Level
        switch level {
        case ...2: swiftLevel = .critical
        case 3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5: swiftLevel = (quietConfigWarnings && facility == "CONFWARN") ? .debug : .notice
        case 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        logger.log(level: swiftLevel, "\(message)", metadata: ["rdkafka.facility": "\(facility)"])
    }

    func recordError(_ err: rd_kafka_resp_err_t, reason: String, fatal: Bool) {
        lastError.withLock { $0 = reason }
        let code = KafkaError.Code(err)
        if fatal {
            logger.error("fatal librdkafka error \(code.name): \(reason)")
        } else if err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN {
            // Transient: librdkafka reconnects by itself.
            logger.info("librdkafka \(code.name): \(reason)")
        } else {
            logger.warning("librdkafka \(code.name): \(reason)")
        }
    }
}

private let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, buffer in
    guard let context = RDKafkaClientContext.from(rk) else { return }
    context.log(
        level: level, facility: facility.map { String(cString: $0) } ?? "",
        message: buffer.map { String(cString: $0) } ?? "")
}

private let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    rk, err, reason, _ in
    guard let context = RDKafkaClientContext.from(rk) else { return }
    let code = rd_kafka_resp_err_t(rawValue: err)
    var text = reason.map { String(cString: $0) } ?? ""
    let fatal = code == RD_KAFKA_RESP_ERR__FATAL
    if fatal, let rk {
        var buffer = [CChar](repeating: 0, count: 512)
        let original = rd_kafka_fatal_error(rk, &buffer, buffer.count)
        text = "\(KafkaError.Code(original).name): \(String.fromCBuffer(buffer))"
    }
    context.recordError(code, reason: text, fatal: fatal)
}

private let statsCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
    rk, json, length, _ in
    if let context = RDKafkaClientContext.from(rk), let handler = context.statisticsHandler, let json {
        handler(String(decoding: UnsafeRawBufferPointer(start: json, count: length), as: UTF8.self))
    }
    return 0  // librdkafka frees the JSON buffer
}

/// Owns one `rd_kafka_t` and the context its callbacks reach.
///
/// `@unchecked Sendable` invariant: `handle` is immutable and librdkafka's API is thread-safe
/// for the calls made on it; the handle is destroyed exactly once, in `deinit`, when no other
/// reference (and so no other thread) can use it. The topic-handle cache is lock-guarded.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind { case producer, consumer }

    let handle: OpaquePointer
    let context: RDKafkaClientContext
    let kind: Kind
    private let topicHandles = Locked<[String: OpaquePointer]>([:])

    /// Creates the handle. `configure` may install more callbacks on the conf before creation.
    init(
        kind: Kind, properties: [(key: String, value: String)], logger: Logger,
        statisticsHandler: (@Sendable (String) -> Void)? = nil, quietConfigWarnings: Bool = false,
        usesEventQueue: Bool = false, configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        let conf = try RDKafkaConfig.make(properties)
        let bootstrap = properties.last { $0.key == "bootstrap.servers" }?.value ?? ""
        let context = RDKafkaClientContext(
            logger: logger, bootstrapServers: bootstrap, statisticsHandler: statisticsHandler,
            quietConfigWarnings: quietConfigWarnings)
        let opaque = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, opaque.toOpaque())
        rd_kafka_conf_set_log_cb(conf, logCallback)
        // With the event API, errors arrive as RD_KAFKA_EVENT_ERROR on the main queue instead.
        if !usesEventQueue { rd_kafka_conf_set_error_cb(conf, errorCallback) }
        if statisticsHandler != nil { rd_kafka_conf_set_stats_cb(conf, statsCallback) }
        configure(conf)

        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errstr, errstr.count)
        else {
            // rd_kafka_new frees the conf only on success.
            rd_kafka_conf_destroy(conf)
            opaque.release()
            throw KafkaError(code: .invalidArgument, message: "cannot create Kafka client: \(String.fromCBuffer(errstr))")
        }
        self.handle = rk
        self.context = context
        self.kind = kind
        self.usesEventQueue = usesEventQueue
    }

    deinit {
        let handle = SendablePointer(handle)
        let topics = topicHandles.withLock { $0.values.map(SendablePointer.init) }
        let context = self.context
        // rd_kafka_destroy joins librdkafka's threads and can wait for in-flight requests, and
        // the last reference may be dropped on a cooperative-pool thread: destroy on a thread
        // of its own. Nothing else can use the handle any more (this is deinit).
        Thread.detachNewThread {
            for rkt in topics { rd_kafka_topic_destroy(rkt.pointer) }
            rd_kafka_destroy(handle.pointer)
            Unmanaged.passUnretained(context).release()
        }
    }

    var logger: Logger { context.logger }

    /// A cached `rd_kafka_topic_t` for `name` (valid until the client is destroyed).
    func topicHandle(_ name: String) throws(KafkaError) -> OpaquePointer {
        if let rkt = topicHandles.withLock({ $0[name] }) { return rkt }
        guard let rkt = rd_kafka_topic_new(handle, name, nil) else {
            throw KafkaError(code: .invalidArgument, message: "cannot create topic handle for \"\(name)\"")
        }
        return topicHandles.withLock { cache in
            if let existing = cache[name] {
                rd_kafka_topic_destroy(rkt)
                return existing
            }
            cache[name] = rkt
            return rkt
        }
    }

    /// Fetches cluster metadata (blocking). Never auto-creates topics: it asks for all topics.
    func metadata(timeout: Duration) throws(KafkaError) -> KafkaClusterMetadata {
        var raw: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 1, nil, &raw, Int32(timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let raw else {
            throw unreachableError(err, timeout: timeout)
        }
        defer { rd_kafka_metadata_destroy(raw) }
        return KafkaClusterMetadata(raw.pointee)
    }

    /// A clear error for a failed metadata request: names the bootstrap servers and the last
    /// connection error librdkafka reported.
    func unreachableError(_ err: rd_kafka_resp_err_t, timeout: Duration) -> KafkaError {
        if kind == .producer && !usesEventQueue {
            rd_kafka_poll(handle, 0)  // serve pending error callbacks so lastError is current
        }
        let last = context.lastError.withLock { $0 }
        let code = KafkaError.Code(err)
        var message =
            "no Kafka broker answered at \"\(context.bootstrapServers)\" within \(timeout) (\(code.description))"
        if let last { message += "; last error: \(last)" }
        return KafkaError(code: code, message: message, isRetriable: true)
    }

    /// Errors, statistics and delivery reports arrive as events on the main queue (the producer).
    let usesEventQueue: Bool
}

extension String {
    /// Decodes a NUL-terminated C string held in a fixed-size buffer.
    static func fromCBuffer(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
