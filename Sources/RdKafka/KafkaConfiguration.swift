import Foundation

/// Settings every Kafka client shares, used as is by ``KafkaAdminClient``.
///
/// Typed fields cover what FraudStream uses; ``properties`` passes any other librdkafka
/// property (SASL, SSL, tuning — see librdkafka's CONFIGURATION.md) through unchanged and
/// wins over a typed field that sets the same property. An unknown property name makes client
/// creation throw a ``KafkaError`` that names it.
public struct KafkaConfiguration: Sendable {
    /// `bootstrap.servers`: `host:port` pairs to bootstrap from.
    public var bootstrapServers: [String]
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String?
    /// `statistics.interval.ms`; `nil` disables statistics.
    public var statisticsInterval: Duration?
    /// Receives librdkafka's statistics JSON every ``statisticsInterval``.
    public var statisticsHandler: (@Sendable (String) -> Void)?
    /// Raw librdkafka properties, applied last.
    public var properties: [String: String]

    /// Creates a configuration.
    public init(
        bootstrapServers: [String], clientID: String? = nil, statisticsInterval: Duration? = nil,
        statisticsHandler: (@Sendable (String) -> Void)? = nil, properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.statisticsInterval = statisticsInterval
        self.statisticsHandler = statisticsHandler
        self.properties = properties
    }

    /// Creates a configuration from a comma-separated `bootstrap.servers` string.
    public init(bootstrapServers: String, clientID: String? = nil, properties: [String: String] = [:]) {
        self.init(bootstrapServers: Self.split(bootstrapServers), clientID: clientID, properties: properties)
    }

    static func split(_ servers: String) -> [String] {
        servers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The librdkafka properties this configuration sets, in the order they are applied.
    public var librdkafkaProperties: [(key: String, value: String)] {
        var list = PropertyList()
        list.common(bootstrapServers: bootstrapServers, clientID: clientID, statisticsInterval: statisticsInterval)
        list.raw(properties)
        return list.items
    }
}

/// Ordered property list with typed helpers; shared by the configuration types.
struct PropertyList {
    var items: [(key: String, value: String)] = []

    mutating func set(_ key: String, _ value: String?) {
        if let value { items.append((key, value)) }
    }

    mutating func set(_ key: String, _ value: Bool) { items.append((key, value ? "true" : "false")) }

    mutating func set(_ key: String, _ value: Int?) { set(key, value.map(String.init)) }

    mutating func set(_ key: String, milliseconds value: Duration?) {
        set(key, value.map { String($0.milliseconds) })
    }

    mutating func common(bootstrapServers: [String], clientID: String?, statisticsInterval: Duration?) {
        set("bootstrap.servers", bootstrapServers.joined(separator: ","))
        set("client.id", clientID)
        set("statistics.interval.ms", milliseconds: statisticsInterval)
    }

    /// Raw properties, sorted by key so the applied order is deterministic.
    mutating func raw(_ properties: [String: String]) {
        for key in properties.keys.sorted() { items.append((key, properties[key]!)) }
    }
}
