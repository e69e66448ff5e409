import FraudRules
import FraudEngine
import Foundation
import RdKafka

/// Everything a ``LiveProcessor`` needs, resolved (see ``PipelineSettings`` for how a file,
/// the environment and flags combine into one).
public struct PipelineConfiguration: Sendable {
    /// `bootstrap.servers`, comma-separated `host:port`.
    public var bootstrapServers: String
    /// The consumer group.
    public var groupID: String
    /// How the processor gets its input partitions: as a member of ``groupID`` (default;
    /// several processors share the partitions, revokes checkpoint before partitions move),
    /// or every partition of both input topics assigned directly
    /// (``KafkaPartitionAssignment/allPartitions``): a lone processor that starts without
    /// waiting for the broker's group join (3 s on an empty group by default), still
    /// committing its offsets under ``groupID``. Not with ``exactlyOnce``, whose fencing of
    /// an older instance relies on the group's generation.
    public var assignment: KafkaPartitionAssignment = .group
    /// Topic names.
    public var topics: PipelineTopics
    /// Write a decision record for every scored transaction.
    public var decisionLog: Bool
    /// The engine (seed, label policy, event-time policy…).
    public var engine: EngineConfiguration
    /// Raw librdkafka properties for the consumer and the producer (SASL, SSL, tuning).
    public var kafkaProperties: [String: String]
    /// Raw librdkafka properties for the consumer only, over ``kafkaProperties`` (e.g.
    /// `fetch.wait.max.ms`: given to both clients, librdkafka warns that the producer ignores it).
    public var consumerProperties: [String: String] = [:]
    /// Where a partition starts when the group has no committed offset.
    public var autoOffsetReset: KafkaConsumerConfiguration.AutoOffsetReset
    /// Messages larger than this go to the dead-letter topic (`too_large`) unread.
    public var maxMessageBytes: Int
    /// How often stored offsets are committed while running.
    public var commitInterval: Duration
    /// Most messages per consumed batch.
    public var maxBatchSize: Int
    /// Longest time an empty input partition that may still deliver earlier events holds
    /// the others back, so the engine sees one stream in event-time order (see the
    /// processor's `EventTimeMerger`).
    public var reorderWait: Duration
    /// Most input messages held for ordering before the earliest is released regardless.
    public var reorderCapacity: Int
    /// Port of the operations HTTP endpoint (`/metrics`, `/healthz`, `/readyz`); nil: none.
    public var metricsPort: Int?
    /// Where checkpoints (engine state + input offsets) are written; nil: no checkpoints,
    /// offsets committed as soon as outputs are acknowledged.
    public var checkpointDirectory: String?
    /// A checkpoint at least this often (and at shutdown and on partition revoke).
    public var checkpointInterval: Duration = .seconds(10)
    /// A checkpoint after this many engine events (transactions and labels), if sooner.
    public var checkpointEveryEvents: Int = 1_000_000
    /// Checkpoint files kept.
    public var checkpointKeep: Int = 5
    /// Most incremental checkpoints in a row before a full one (0: every checkpoint full).
    /// A full one is also written when the incremental ones since the last full one add up
    /// to half its size (128 MiB at least), so that a restore reads at most about 1.5 full
    /// checkpoints.
    public var checkpointFullEvery: Int = 30
    /// Kafka transactions: each processed chunk's alerts, decision records and dead letters
    /// and its input offsets commit together or not at all (`read_committed` readers see
    /// every output once). Offsets are then committed only by the transactions.
    public var exactlyOnce = false
    /// The producer's `transactional.id` with ``exactlyOnce``; nil: `fraudstream-<group>-<random>`.
    public var transactionalID: String?
    /// The rules file (read by the `run` command; the processor takes ready `RuleSet`).
    public var rulesFile: String?

    /// Creates a configuration.
    public init(
        bootstrapServers: String, groupID: String = "fraudstream", topics: PipelineTopics = PipelineTopics(),
        decisionLog: Bool = true, engine: EngineConfiguration = .default, kafkaProperties: [String: String] = [:],
        autoOffsetReset: KafkaConsumerConfiguration.AutoOffsetReset = .earliest, maxMessageBytes: Int = 65_536,
        commitInterval: Duration = .seconds(1), maxBatchSize: Int = 2048,
        reorderWait: Duration = .milliseconds(500), reorderCapacity: Int = 262_144, metricsPort: Int? = nil,
        rulesFile: String? = nil
    ) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.topics = topics
        self.decisionLog = decisionLog
        self.engine = engine
        self.kafkaProperties = kafkaProperties
        self.autoOffsetReset = autoOffsetReset
        self.maxMessageBytes = maxMessageBytes
        self.commitInterval = commitInterval
        self.maxBatchSize = maxBatchSize
        self.reorderWait = reorderWait
        self.reorderCapacity = reorderCapacity
        self.metricsPort = metricsPort
        self.rulesFile = rulesFile
    }

    /// ``bootstrapServers`` split at commas, trimmed.
    public var bootstrapServerList: [String] {
        bootstrapServers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The topics that must exist before the processor starts.
    public var requiredTopics: [String] {
        var names = [topics.transactions, topics.labels, topics.alerts, topics.deadLetter]
        if decisionLog { names.append(topics.decisions) }
        return names
    }
}
