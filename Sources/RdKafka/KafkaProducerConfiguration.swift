/// Settings of a ``KafkaProducer``.
///
/// Idempotence (`enable.idempotence=true`) is on by default: retries cannot duplicate or
/// reorder messages within a partition.
public struct KafkaProducerConfiguration: Sendable {
    /// Which delivery reports ``KafkaProducer/deliveryReports`` carries.
    public enum DeliveryReports: Sendable {
        /// One report per message, success or failure. The application must read them: when
        /// the report buffer is full, delivery-report polling waits and sends back-pressure.
        case all
        /// Only failed deliveries (successes are counted but not reported).
        case errorsOnly
        /// No reports; failures are logged. Use ``KafkaProducer/flush(timeout:)`` to wait.
        case none
    }

    /// `bootstrap.servers`.
    public var bootstrapServers: [String]
    /// `client.id`.
    public var clientID: String?
    /// `enable.idempotence`.
    public var enableIdempotence: Bool
    /// `transactional.id`: enables the transactional API (implies idempotence).
    public var transactionalID: String?
    /// `linger.ms`: how long to wait to fill a batch.
    public var linger: Duration?
    /// `batch.size`: the largest batch in bytes.
    public var batchSize: Int?
    /// `batch.num.messages`: the most messages in a batch.
    public var batchNumMessages: Int?
    /// `queue.buffering.max.messages`: local queue bound; when full, sends wait (back-pressure).
    public var queueBufferingMaxMessages: Int?
    /// `queue.buffering.max.kbytes`: local queue bound in KiB.
    public var queueBufferingMaxKBytes: Int?
    /// `message.timeout.ms`: how long delivery may take, retries included.
    public var messageTimeout: Duration?
    /// `compression.codec`, e.g. `lz4`, `zstd`.
    public var compression: String?
    /// `statistics.interval.ms`; `nil` disables statistics.
    public var statisticsInterval: Duration?
    /// Receives librdkafka's statistics JSON, on the delivery-report thread.
    public var statisticsHandler: (@Sendable (String) -> Void)?
    /// Which delivery reports to surface.
    public var deliveryReports: DeliveryReports
    /// How many chunks of delivery reports (one per librdkafka event) may wait unread.
    public var deliveryReportBufferChunks: Int
    /// When set, delivery reports (per ``deliveryReports``) are given to this closure, a chunk
    /// at a time, on the producer's event thread, instead of ``KafkaProducer/deliveryReports``
    /// (which then stays empty). It must return quickly and never block: it holds up the
    /// event thread. Saves a thread hand-over per chunk where reports are only counted.
    public var deliveryReportHandler: (@Sendable ([KafkaDeliveryReport]) -> Void)?
    /// Raw librdkafka properties, applied last.
    public var properties: [String: String]

    /// Creates a configuration.
    public init(
        bootstrapServers: [String], clientID: String? = nil, enableIdempotence: Bool = true,
        transactionalID: String? = nil, linger: Duration? = nil, batchSize: Int? = nil,
        batchNumMessages: Int? = nil, queueBufferingMaxMessages: Int? = nil, queueBufferingMaxKBytes: Int? = nil,
        messageTimeout: Duration? = nil, compression: String? = nil, statisticsInterval: Duration? = nil,
        statisticsHandler: (@Sendable (String) -> Void)? = nil, deliveryReports: DeliveryReports = .all,
        deliveryReportBufferChunks: Int = 256,
        deliveryReportHandler: (@Sendable ([KafkaDeliveryReport]) -> Void)? = nil, properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.enableIdempotence = enableIdempotence
        self.transactionalID = transactionalID
        self.linger = linger
        self.batchSize = batchSize
        self.batchNumMessages = batchNumMessages
        self.queueBufferingMaxMessages = queueBufferingMaxMessages
        self.queueBufferingMaxKBytes = queueBufferingMaxKBytes
        self.messageTimeout = messageTimeout
        self.compression = compression
        self.statisticsInterval = statisticsInterval
        self.statisticsHandler = statisticsHandler
        self.deliveryReports = deliveryReports
        self.deliveryReportBufferChunks = deliveryReportBufferChunks
        self.deliveryReportHandler = deliveryReportHandler
        self.properties = properties
    }

    /// Creates a configuration from a comma-separated `bootstrap.servers` string.
    public init(bootstrapServers: String, transactionalID: String? = nil) {
        self.init(bootstrapServers: KafkaConfiguration.split(bootstrapServers), transactionalID: transactionalID)
    }

    /// The librdkafka properties this configuration sets, in the order they are applied.
    public var librdkafkaProperties: [(key: String, value: String)] {
        var list = PropertyList()
        list.common(bootstrapServers: bootstrapServers, clientID: clientID, statisticsInterval: statisticsInterval)
        list.set("enable.idempotence", enableIdempotence)
        list.set("transactional.id", transactionalID)
        list.set("linger.ms", milliseconds: linger)
        list.set("batch.size", batchSize)
        list.set("batch.num.messages", batchNumMessages)
        list.set("queue.buffering.max.messages", queueBufferingMaxMessages)
        list.set("queue.buffering.max.kbytes", queueBufferingMaxKBytes)
        list.set("message.timeout.ms", milliseconds: messageTimeout)
        list.set("compression.codec", compression)
        list.raw(properties)
        return list.items
    }
}
