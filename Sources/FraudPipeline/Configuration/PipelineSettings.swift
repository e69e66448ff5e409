import FraudEngine
import Foundation
import RdKafka
import Yams

/// One layer of settings — a YAML file, the environment or command-line flags — where every
/// setting may be absent. Layers combine with ``overriding(with:)``: **a flag overrides the
/// environment, which overrides the file**; ``resolve()`` fills in defaults and gives the
/// ``PipelineConfiguration``. The `kafka` maps merge key by key (the higher layer wins per key).
///
/// | file key | environment variable | default |
/// |---|---|---|
/// | `bootstrap` | `FRAUDSTREAM_BOOTSTRAP` | (required) |
/// | `group_id` | `FRAUDSTREAM_GROUP_ID` | `fraudstream` |
/// | `assignment` | `FRAUDSTREAM_ASSIGNMENT` | `group` (or `all_partitions`: a lone processor reads every partition without joining the group) |
/// | `topics.transactions` | `FRAUDSTREAM_TRANSACTIONS_TOPIC` | `transactions` |
/// | `topics.labels` | `FRAUDSTREAM_LABELS_TOPIC` | `labels` |
/// | `topics.alerts` | `FRAUDSTREAM_ALERTS_TOPIC` | `alerts` |
/// | `topics.decisions` | `FRAUDSTREAM_DECISIONS_TOPIC` | `decisions` |
/// | `topics.dead_letter` | `FRAUDSTREAM_DEAD_LETTER_TOPIC` | `dead-letter` |
/// | `rules_file` | `FRAUDSTREAM_RULES_FILE` | none (built-in score thresholds) |
/// | `decision_log` | `FRAUDSTREAM_DECISION_LOG` | `true` |
/// | `engine.seed` | `FRAUDSTREAM_ENGINE_SEED` | `42` |
/// | `engine.label_policy` | `FRAUDSTREAM_LABEL_POLICY` | `presume_legitimate_at_once` (or `mature_after`) |
/// | `engine.maturity_days` | `FRAUDSTREAM_MATURITY_DAYS` | `30` (with `mature_after`) |
/// | `engine.allowed_lateness_seconds` | `FRAUDSTREAM_ALLOWED_LATENESS_SECONDS` | `3600` |
/// | `max_message_bytes` | `FRAUDSTREAM_MAX_MESSAGE_BYTES` | `65536` |
/// | `reorder_wait_ms` | `FRAUDSTREAM_REORDER_WAIT_MS` | `500` |
/// | `metrics_port` | `FRAUDSTREAM_METRICS_PORT` | none (no HTTP endpoint) |
/// | `checkpoint.directory` | `FRAUDSTREAM_CHECKPOINT_DIR` | none (no checkpoints) |
/// | `checkpoint.interval_seconds` | `FRAUDSTREAM_CHECKPOINT_INTERVAL_SECONDS` | `10` |
/// | `checkpoint.keep` | `FRAUDSTREAM_CHECKPOINT_KEEP` | `5` |
/// | `exactly_once` | `FRAUDSTREAM_EXACTLY_ONCE` | `false` (Kafka transactions: outputs and input offsets commit together) |
/// | `transactional_id` | `FRAUDSTREAM_TRANSACTIONAL_ID` | `fraudstream-<group>-<random>` (with `exactly_once`) |
/// | `auto_offset_reset` | `FRAUDSTREAM_AUTO_OFFSET_RESET` | `earliest` (or `latest`) |
/// | `kafka.<property>` | `FRAUDSTREAM_KAFKA_<PROPERTY>` (`_` → `.`, lower-cased) | none |
///
/// A relative `rules_file` in a file is relative to that file's folder.
public struct PipelineSettings: Sendable, Hashable {
    public var bootstrap: String?
    public var groupID: String?
    /// `group` or `all_partitions`.
    public var assignment: String?
    public var transactionsTopic: String?
    public var labelsTopic: String?
    public var alertsTopic: String?
    public var decisionsTopic: String?
    public var deadLetterTopic: String?
    public var rulesFile: String?
    public var decisionLog: Bool?
    /// Outputs and input offsets in Kafka transactions.
    public var exactlyOnce: Bool?
    /// The producer's `transactional.id` with ``exactlyOnce``.
    public var transactionalID: String?
    public var engineSeed: UInt64?
    /// `presume_legitimate_at_once` or `mature_after`.
    public var labelPolicy: String?
    public var maturityDays: Int?
    public var allowedLatenessSeconds: Int?
    public var maxMessageBytes: Int?
    /// Milliseconds an empty input partition may hold the others back (event-time merge).
    public var reorderWaitMillis: Int?
    /// Port of the `/metrics`, `/healthz` and `/readyz` endpoint (0: any free port).
    public var metricsPort: Int?
    /// Checkpoint directory (relative paths in a file are relative to its folder).
    public var checkpointDirectory: String?
    /// Seconds between checkpoints.
    public var checkpointIntervalSeconds: Int?
    /// Checkpoint files kept.
    public var checkpointKeep: Int?
    /// Most incremental checkpoints in a row (0: all full).
    public var checkpointFullEvery: Int?
    /// `earliest` or `latest`.
    public var autoOffsetReset: String?
    /// librdkafka properties.
    public var kafka: [String: String] = [:]

    /// An empty layer.
    public init() {}

    /// The layer `higher` on top of this one: each setting `higher` has wins.
    public func overriding(with higher: PipelineSettings) -> PipelineSettings {
        var r = self
        r.bootstrap = higher.bootstrap ?? bootstrap
        r.groupID = higher.groupID ?? groupID
        r.assignment = higher.assignment ?? assignment
        r.transactionsTopic = higher.transactionsTopic ?? transactionsTopic
        r.labelsTopic = higher.labelsTopic ?? labelsTopic
        r.alertsTopic = higher.alertsTopic ?? alertsTopic
        r.decisionsTopic = higher.decisionsTopic ?? decisionsTopic
        r.deadLetterTopic = higher.deadLetterTopic ?? deadLetterTopic
        r.rulesFile = higher.rulesFile ?? rulesFile
        r.decisionLog = higher.decisionLog ?? decisionLog
        r.exactlyOnce = higher.exactlyOnce ?? exactlyOnce
        r.transactionalID = higher.transactionalID ?? transactionalID
        r.engineSeed = higher.engineSeed ?? engineSeed
        r.labelPolicy = higher.labelPolicy ?? labelPolicy
        r.maturityDays = higher.maturityDays ?? maturityDays
        r.allowedLatenessSeconds = higher.allowedLatenessSeconds ?? allowedLatenessSeconds
        r.maxMessageBytes = higher.maxMessageBytes ?? maxMessageBytes
        r.reorderWaitMillis = higher.reorderWaitMillis ?? reorderWaitMillis
        r.metricsPort = higher.metricsPort ?? metricsPort
        r.checkpointDirectory = higher.checkpointDirectory ?? checkpointDirectory
        r.checkpointIntervalSeconds = higher.checkpointIntervalSeconds ?? checkpointIntervalSeconds
        r.checkpointKeep = higher.checkpointKeep ?? checkpointKeep
        r.checkpointFullEvery = higher.checkpointFullEvery ?? checkpointFullEvery
        r.autoOffsetReset = higher.autoOffsetReset ?? autoOffsetReset
        r.kafka.merge(higher.kafka) { _, new in new }
        return r
    }

    /// The configuration, with defaults for what no layer set.
    /// - Throws: ``ConfigurationError`` when `bootstrap` is missing or a value is out of range.
    public func resolve() throws(ConfigurationError) -> PipelineConfiguration {
        guard let bootstrap, !bootstrap.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "bootstrap",
                message: "no Kafka bootstrap servers: give --bootstrap, FRAUDSTREAM_BOOTSTRAP or `bootstrap:` in the config file")
        }
        var engine = EngineConfiguration.default
        engine.seed = engineSeed ?? 42
        switch labelPolicy ?? "presume_legitimate_at_once" {
        case "presume_legitimate_at_once": engine.labelPolicy = .presumeLegitimateAtOnce
        case "mature_after": engine.labelPolicy = .matureAfter(days: maturityDays ?? 30)
        case let other:
            throw ConfigurationError(
                source: "configuration", line: nil, key: "engine.label_policy",
                message: "unknown policy \"\(other)\": use presume_legitimate_at_once or mature_after")
        }
        if let allowedLatenessSeconds {
            engine.allowedLatenessMillis = Int64(allowedLatenessSeconds) * 1000
        }
        if let problem = engine.validate() {
            throw ConfigurationError(source: "configuration", line: nil, key: "engine", message: problem)
        }
        let reset = try Self.choice(
            autoOffsetReset ?? "earliest", key: "auto_offset_reset",
            [KafkaConsumerConfiguration.AutoOffsetReset.earliest, .latest])
        let partitionAssignment = try Self.choice(
            assignment ?? "group", key: "assignment", KafkaPartitionAssignment.allCases)
        if partitionAssignment == .allPartitions, exactlyOnce == true {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "assignment",
                message: "all_partitions cannot be combined with exactly_once: the transactions fence an older instance through the consumer group's generation, which a processor outside the group does not have; use assignment group")
        }
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "metrics_port",
                message: "expected a port in 0...65535, found \(metricsPort)")
        }
        if let reorderWaitMillis, !(0...600_000).contains(reorderWaitMillis) {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "reorder_wait_ms",
                message: "expected milliseconds in 0...600000, found \(reorderWaitMillis)")
        }
        if let checkpointIntervalSeconds, !(1...86_400).contains(checkpointIntervalSeconds) {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "checkpoint.interval_seconds",
                message: "expected seconds in 1...86400, found \(checkpointIntervalSeconds)")
        }
        if let checkpointKeep, !(1...1000).contains(checkpointKeep) {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "checkpoint.keep",
                message: "expected a count in 1...1000, found \(checkpointKeep)")
        }
        if let checkpointFullEvery, !(0...10_000).contains(checkpointFullEvery) {
            throw ConfigurationError(
                source: "configuration", line: nil, key: "checkpoint.full_every",
                message: "expected a count in 0...10000, found \(checkpointFullEvery)")
        }
        let defaults = PipelineTopics()
        var resolved = PipelineConfiguration(
            bootstrapServers: bootstrap, groupID: groupID ?? "fraudstream",
            topics: PipelineTopics(
                transactions: transactionsTopic ?? defaults.transactions, labels: labelsTopic ?? defaults.labels,
                alerts: alertsTopic ?? defaults.alerts, decisions: decisionsTopic ?? defaults.decisions,
                deadLetter: deadLetterTopic ?? defaults.deadLetter),
            decisionLog: decisionLog ?? true, engine: engine, kafkaProperties: kafka, autoOffsetReset: reset,
            maxMessageBytes: maxMessageBytes ?? 65_536,
            reorderWait: .milliseconds(reorderWaitMillis ?? 500), metricsPort: metricsPort, rulesFile: rulesFile)
        resolved.checkpointDirectory = checkpointDirectory
        resolved.checkpointInterval = .seconds(checkpointIntervalSeconds ?? 10)
        resolved.checkpointKeep = checkpointKeep ?? 5
        resolved.checkpointFullEvery = checkpointFullEvery ?? 30
        resolved.exactlyOnce = exactlyOnce ?? false
        resolved.assignment = partitionAssignment
        resolved.transactionalID = transactionalID
        return resolved
    }
}

// MARK: - YAML file

extension PipelineSettings {
    /// Reads a YAML configuration file.
    /// - Throws: ``ConfigurationError`` naming the file, the line and the key.
    public static func load(contentsOf path: String) throws(ConfigurationError) -> PipelineSettings {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(source: path, line: nil, key: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        var settings = try parse(yaml: text, file: path)
        if let rules = settings.rulesFile, !rules.hasPrefix("/") {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { settings.rulesFile = (folder as NSString).appendingPathComponent(rules) }
        }
        if let directory = settings.checkpointDirectory, !directory.hasPrefix("/") {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { settings.checkpointDirectory = (folder as NSString).appendingPathComponent(directory) }
        }
        return settings
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(yaml text: String, file: String) throws(ConfigurationError) -> PipelineSettings {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(source: file, line: Self.line(of: error), key: "", message: "not valid YAML: \(Self.problem(of: error))")
        } catch {
            throw ConfigurationError(source: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
        var settings = PipelineSettings()
        guard let root else { return settings }
        let reader = YAMLReader(file: file)
        for (key, name, value) in try reader.entries(of: root, path: "") {
            switch name {
            case "bootstrap": settings.bootstrap = try reader.string(value, key)
            case "group_id": settings.groupID = try reader.string(value, key)
            case "assignment": settings.assignment = try reader.choice(value, key, ["group", "all_partitions"])
            case "rules_file": settings.rulesFile = try reader.string(value, key)
            case "decision_log": settings.decisionLog = try reader.bool(value, key)
            case "exactly_once": settings.exactlyOnce = try reader.bool(value, key)
            case "transactional_id": settings.transactionalID = try reader.string(value, key)
            case "max_message_bytes": settings.maxMessageBytes = try reader.integer(value, key, in: 1...100_000_000)
            case "reorder_wait_ms": settings.reorderWaitMillis = try reader.integer(value, key, in: 0...600_000)
            case "metrics_port": settings.metricsPort = try reader.integer(value, key, in: 0...65_535)
            case "auto_offset_reset": settings.autoOffsetReset = try reader.choice(value, key, ["earliest", "latest"])
            case "topics":
                for (tkey, tname, tvalue) in try reader.entries(of: value, path: "topics") {
                    let topic = try reader.string(tvalue, tkey)
                    switch tname {
                    case "transactions": settings.transactionsTopic = topic
                    case "labels": settings.labelsTopic = topic
                    case "alerts": settings.alertsTopic = topic
                    case "decisions": settings.decisionsTopic = topic
                    case "dead_letter": settings.deadLetterTopic = topic
                    default: throw reader.unknown(tkey, tname, known: ["transactions", "labels", "alerts", "decisions", "dead_letter"])
                    }
                }
            case "engine":
                for (ekey, ename, evalue) in try reader.entries(of: value, path: "engine") {
                    switch ename {
                    case "seed": settings.engineSeed = UInt64(try reader.integer(evalue, ekey, in: 0...Int.max))
                    case "label_policy":
                        settings.labelPolicy = try reader.choice(evalue, ekey, ["presume_legitimate_at_once", "mature_after"])
                    case "maturity_days": settings.maturityDays = try reader.integer(evalue, ekey, in: 1...3650)
                    case "allowed_lateness_seconds":
                        settings.allowedLatenessSeconds = try reader.integer(evalue, ekey, in: 0...31_536_000)
                    default:
                        throw reader.unknown(ekey, ename, known: ["seed", "label_policy", "maturity_days", "allowed_lateness_seconds"])
                    }
                }
            case "checkpoint":
                for (ckey, cname, cvalue) in try reader.entries(of: value, path: "checkpoint") {
                    switch cname {
                    case "directory": settings.checkpointDirectory = try reader.string(cvalue, ckey)
                    case "interval_seconds":
                        settings.checkpointIntervalSeconds = try reader.integer(cvalue, ckey, in: 1...86_400)
                    case "keep": settings.checkpointKeep = try reader.integer(cvalue, ckey, in: 1...1000)
                    case "full_every":
                        settings.checkpointFullEvery = try reader.integer(cvalue, ckey, in: 0...10_000)
                    default:
                        throw reader.unknown(ckey, cname, known: ["directory", "interval_seconds", "keep", "full_every"])
                    }
                }
            case "kafka":
                for (kkey, kname, kvalue) in try reader.entries(of: value, path: "kafka") {
                    settings.kafka[kname] = try reader.scalarText(kvalue, kkey)
                }
            default:
                throw reader.unknown(key, name, known: [
                    "bootstrap", "group_id", "assignment", "topics", "rules_file", "decision_log", "exactly_once", "transactional_id", "engine", "checkpoint", "kafka",
                    "max_message_bytes", "auto_offset_reset", "reorder_wait_ms", "metrics_port",
                ])
            }
        }
        return settings
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return context.map { "\($0.text), \(problem)" } ?? problem
        default:
            return "\(error)"
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}

/// Typed access to YAML nodes with located errors.
private struct YAMLReader {
    let file: String

    struct Key {
        var path: String
        var line: Int?
    }

    func error(_ key: Key, _ message: String) -> ConfigurationError {
        ConfigurationError(source: file, line: key.line, key: key.path, message: message)
    }

    func unknown(_ key: Key, _ name: String, known: [String]) -> ConfigurationError {
        error(key, "unknown key \"\(name)\" (known here: \(known.joined(separator: ", ")))")
    }

    /// The entries of a mapping node, with their dotted paths and lines.
    func entries(of node: Node, path: String) throws(ConfigurationError) -> [(Key, String, Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(Key(path: path, line: node.mark?.line), "expected a mapping of key: value lines, found \(describe(node))")
        }
        var seen: [String: Int] = [:]
        var result: [(Key, String, Node)] = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard case .scalar(let scalar) = keyNode else {
                throw error(Key(path: path, line: line), "a key must be plain text")
            }
            let name = scalar.string
            let key = Key(path: path.isEmpty ? name : "\(path).\(name)", line: line)
            if let first = seen[name] { throw error(key, "duplicate key (first at line \(first))") }
            seen[name] = line ?? 0
            result.append((key, name, value))
        }
        return result
    }

    func scalarText(_ node: Node, _ key: Key) throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(key, "expected a single value, found \(describe(node))")
        }
        return scalar.string
    }

    func string(_ node: Node, _ key: Key) throws(ConfigurationError) -> String {
        let text = try scalarText(node, key)
        if text.isEmpty || text == "~" || text == "null" { throw error(key, "expected a non-empty string") }
        return text
    }

    func bool(_ node: Node, _ key: Key) throws(ConfigurationError) -> Bool {
        switch try scalarText(node, key) {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        case let other: throw error(key, "expected true or false, found \"\(other)\"")
        }
    }

    func integer(_ node: Node, _ key: Key, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let text = try scalarText(node, key)
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(key, "expected an integer, found \"\(text)\"")
        }
        guard range.contains(value) else {
            throw error(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), found \(value)")
        }
        return value
    }

    func choice(_ node: Node, _ key: Key, _ choices: [String]) throws(ConfigurationError) -> String {
        let text = try scalarText(node, key)
        guard choices.contains(text) else {
            throw error(key, "expected one of \(choices.joined(separator: ", ")), found \"\(text)\"")
        }
        return text
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "\"\(s.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

// MARK: - Environment

extension PipelineSettings {
    /// The `FRAUDSTREAM_*` variables of `environment` (other variables are ignored).
    /// - Throws: ``ConfigurationError`` naming the variable for a value of the wrong type.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigurationError) -> PipelineSettings {
        var s = PipelineSettings()
        func error(_ name: String, _ message: String) -> ConfigurationError {
            ConfigurationError(source: "environment variable \(name)", line: nil, key: name, message: message)
        }
        func int(_ name: String) throws(ConfigurationError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), value >= 0 else { throw error(name, "expected a non-negative integer, found \"\(text)\"") }
            return value
        }
        s.bootstrap = environment["FRAUDSTREAM_BOOTSTRAP"]
        s.groupID = environment["FRAUDSTREAM_GROUP_ID"]
        s.assignment = environment["FRAUDSTREAM_ASSIGNMENT"]
        s.transactionsTopic = environment["FRAUDSTREAM_TRANSACTIONS_TOPIC"]
        s.labelsTopic = environment["FRAUDSTREAM_LABELS_TOPIC"]
        s.alertsTopic = environment["FRAUDSTREAM_ALERTS_TOPIC"]
        s.decisionsTopic = environment["FRAUDSTREAM_DECISIONS_TOPIC"]
        s.deadLetterTopic = environment["FRAUDSTREAM_DEAD_LETTER_TOPIC"]
        s.rulesFile = environment["FRAUDSTREAM_RULES_FILE"]
        if let text = environment["FRAUDSTREAM_DECISION_LOG"] {
            switch text.lowercased() {
            case "true", "1", "yes", "on": s.decisionLog = true
            case "false", "0", "no", "off": s.decisionLog = false
            default: throw error("FRAUDSTREAM_DECISION_LOG", "expected true or false, found \"\(text)\"")
            }
        }
        if let text = environment["FRAUDSTREAM_EXACTLY_ONCE"] {
            switch text.lowercased() {
            case "true", "1", "yes", "on": s.exactlyOnce = true
            case "false", "0", "no", "off": s.exactlyOnce = false
            default: throw error("FRAUDSTREAM_EXACTLY_ONCE", "expected true or false, found \"\(text)\"")
            }
        }
        s.transactionalID = environment["FRAUDSTREAM_TRANSACTIONAL_ID"]
        if let seed = environment["FRAUDSTREAM_ENGINE_SEED"] {
            guard let value = UInt64(seed) else {
                throw error("FRAUDSTREAM_ENGINE_SEED", "expected a non-negative integer, found \"\(seed)\"")
            }
            s.engineSeed = value
        }
        s.labelPolicy = environment["FRAUDSTREAM_LABEL_POLICY"]
        s.maturityDays = try int("FRAUDSTREAM_MATURITY_DAYS")
        s.allowedLatenessSeconds = try int("FRAUDSTREAM_ALLOWED_LATENESS_SECONDS")
        s.maxMessageBytes = try int("FRAUDSTREAM_MAX_MESSAGE_BYTES")
        s.reorderWaitMillis = try int("FRAUDSTREAM_REORDER_WAIT_MS")
        s.metricsPort = try int("FRAUDSTREAM_METRICS_PORT")
        s.checkpointDirectory = environment["FRAUDSTREAM_CHECKPOINT_DIR"]
        s.checkpointIntervalSeconds = try int("FRAUDSTREAM_CHECKPOINT_INTERVAL_SECONDS")
        s.checkpointKeep = try int("FRAUDSTREAM_CHECKPOINT_KEEP")
        s.checkpointFullEvery = try int("FRAUDSTREAM_CHECKPOINT_FULL_EVERY")
        s.autoOffsetReset = environment["FRAUDSTREAM_AUTO_OFFSET_RESET"]
        let prefix = "FRAUDSTREAM_KAFKA_"
        for (name, value) in environment where name.hasPrefix(prefix) && name.count > prefix.count {
            let property = name.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
            s.kafka[property] = value
        }
        return s
    }

    /// The option of a choice setting spelled `value` (its raw value), or an error that names
    /// the key and the options.
    private static func choice<T: RawRepresentable<String>>(
        _ value: String, key: String, _ options: [T]
    ) throws(ConfigurationError) -> T {
        if let match = options.first(where: { $0.rawValue == value }) { return match }
        throw ConfigurationError(
            source: "configuration", line: nil, key: key,
            message: "unknown value \"\(value)\": use \(options.map(\.rawValue).joined(separator: " or "))")
    }
}
