import FraudRules
import ArgumentParser
import Foundation
import FraudEngine
import FraudPipeline
import Logging
import RdKafka

/// `fraudstream run`: the live processor.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the live fraud processor: transactions and labels in; alerts, decisions and dead letters out.",
        discussion: """
            Joins a Kafka consumer group and reads two topics:
              transactions  payments as JSON (schemas/transaction.schema.json)
              labels        fraud reports as JSON (schemas/label.schema.json);
                            the message timestamp is the default reported_at
            Every transaction is scored by the online-learning engine (labels
            teach it) and the actions come from the rules. It writes:
              alerts        one JSON alert per transaction with an action, keyed
                            by card (schemas/alert.schema.json); alert_id is
                            stable per transaction
              decisions     one record per scored transaction: input offset,
                            engine state version, model and rules versions
                            (--no-decision-log turns it off)
              dead-letter   every rejected input message (bad JSON, missing or
                            invalid fields, tombstones, oversized, too late or
                            too far in the future) with its original key and
                            bytes and fraudstream.error.* headers
            Offsets are committed only after every output of a message was
            acknowledged (at least once). SIGINT or SIGTERM stops it: in-flight
            work is finished, offsets are committed, the group is left, and it
            exits 0.

            Configuration: a YAML file (--config, or FRAUDSTREAM_CONFIG; see
            config/fraudstream.example.yaml), FRAUDSTREAM_* environment
            variables (FRAUDSTREAM_BOOTSTRAP, FRAUDSTREAM_GROUP_ID,
            FRAUDSTREAM_KAFKA_SECURITY_PROTOCOL, ...) and flags. A flag
            overrides the environment, which overrides the file.

            A real cluster: --bootstrap kafka-1:9092,kafka-2:9092 plus any
            librdkafka property with -X, e.g.
              fraudstream run --bootstrap kafka:9093 \\
                -X security.protocol=SASL_SSL -X sasl.mechanism=PLAIN \\
                -X sasl.username=svc -X sasl.password=...
            The topics must exist: the connection and the topics are checked
            first, with a clear error otherwise. To try it locally, start
            `fraudstream broker` (its default topics are these five) and pass
            the bootstrap address it prints.
            """
    )

    @Option(help: ArgumentHelp("YAML configuration file (default: $FRAUDSTREAM_CONFIG, if set).", valueName: "path"))
    var config: String?

    @OptionGroup(title: "Kafka")
    var kafka: KafkaOptions

    @Option(name: .customLong("group-id"), help: "Consumer group (default fraudstream).")
    var groupID: String?

    @Option(name: .customLong("assignment"), help: "group (default): a member of the consumer group, partitions shared among processors; all_partitions: a lone processor reads every input partition without joining the group (no 3 s group-join wait at start; offsets still committed under the group id; not with --exactly-once).")
    var assignment: String?

    @Option(name: .customLong("transactions-topic"), help: "Topic of transactions (default transactions).")
    var transactionsTopic: String?

    @Option(name: .customLong("labels-topic"), help: "Topic of fraud labels (default labels).")
    var labelsTopic: String?

    @Option(name: .customLong("alerts-topic"), help: "Topic alerts are written to (default alerts).")
    var alertsTopic: String?

    @Option(name: .customLong("decisions-topic"), help: "Topic decision records are written to (default decisions).")
    var decisionsTopic: String?

    @Option(name: .customLong("dead-letter-topic"), help: "Topic rejected input is written to (default dead-letter).")
    var deadLetterTopic: String?

    @Option(name: .customLong("rules-file"), help: ArgumentHelp("Rules file (YAML). Without one, built-in score thresholds apply: review ≥ 0.5, alert ≥ 0.7, block ≥ 0.9.", valueName: "path"))
    var rulesFile: String?

    @Flag(inversion: .prefixedNo, help: "Write a decision record for every transaction (default on).")
    var decisionLog: Bool?

    @Flag(name: .customLong("exactly-once"), help: "Kafka transactions: each chunk's alerts, decision records, dead letters and input offsets commit together (read_committed readers see each output once). The embedded broker runs the transactions but does not hide aborted ones from readers.")
    var exactlyOnce = false

    @Option(name: .customLong("transactional-id"), help: "The producer's transactional.id with --exactly-once (default fraudstream-<group>-<random>).")
    var transactionalID: String?

    @Option(name: .customLong("engine-seed"), help: "Engine seed (default 42): same seed and input give the same scores.")
    var engineSeed: UInt64?

    @Option(name: .customLong("label-policy"), help: "presume_legitimate_at_once (default) or mature_after.")
    var labelPolicy: String?

    @Option(name: .customLong("maturity-days"), help: "Days after which an unreported transaction counts as legitimate (mature_after; default 30).")
    var maturityDays: Int?

    @Option(name: .customLong("allowed-lateness"), help: "Seconds a transaction may be behind the engine's event-time clock (default 3600).")
    var allowedLateness: Int?

    @Option(name: .customLong("max-message-bytes"), help: "Larger input messages are dead letters (default 65536).")
    var maxMessageBytes: Int?

    @Option(name: .customLong("reorder-wait-ms"), help: "Milliseconds an empty input partition may hold the others back while merging them in event-time order (default 500).")
    var reorderWaitMillis: Int?

    @Option(name: .customLong("metrics-port"), help: "Serve /metrics (Prometheus), /healthz and /readyz on this port (default: off).")
    var metricsPort: Int?

    @Option(name: .customLong("checkpoint-dir"), help: "Write checkpoints (engine state + input offsets) here and restore the newest valid one at start; offsets are then committed only for what a checkpoint covers (default: off).")
    var checkpointDir: String?

    @Option(name: .customLong("checkpoint-interval"), help: "Seconds between checkpoints (default 10; also at shutdown and on partition revoke).")
    var checkpointInterval: Int?

    @Option(name: .customLong("auto-offset-reset"), help: "Where to start without a committed offset: earliest (default) or latest.")
    var autoOffsetReset: String?

    @Option(name: .customLong("status-interval"), help: "Seconds between status lines on stderr (0: none).")
    var statusInterval: Double = 10

    @Option(name: .customLong("connect-timeout"), help: "Seconds to wait for the cluster at start.")
    var connectTimeout: Double = 10

    @Option(name: .customLong("shutdown-timeout"), help: "Seconds a stop may take before the command gives up with an error.")
    var shutdownTimeout: Double = 60

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel): use trace, debug, info, notice, warning, error or critical")
        }
        guard statusInterval >= 0, connectTimeout > 0, shutdownTimeout > 0 else {
            throw ValidationError("--status-interval must be ≥ 0, --connect-timeout and --shutdown-timeout > 0")
        }
    }

    /// The flag layer of the settings.
    func flagSettings() throws -> PipelineSettings {
        var s = PipelineSettings()
        s.bootstrap = kafka.bootstrap
        s.groupID = groupID
        s.assignment = assignment
        s.transactionsTopic = transactionsTopic
        s.labelsTopic = labelsTopic
        s.alertsTopic = alertsTopic
        s.decisionsTopic = decisionsTopic
        s.deadLetterTopic = deadLetterTopic
        s.rulesFile = rulesFile
        if exactlyOnce { s.exactlyOnce = true }
        s.transactionalID = transactionalID
        s.decisionLog = decisionLog
        s.engineSeed = engineSeed
        s.labelPolicy = labelPolicy
        s.maturityDays = maturityDays
        s.allowedLatenessSeconds = allowedLateness
        s.maxMessageBytes = maxMessageBytes
        s.reorderWaitMillis = reorderWaitMillis
        s.metricsPort = metricsPort
        s.checkpointDirectory = checkpointDir
        s.checkpointIntervalSeconds = checkpointInterval
        s.autoOffsetReset = autoOffsetReset
        s.kafka = try kafka.properties
        return s
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.run")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let environment = ProcessInfo.processInfo.environment

        let configuration: PipelineConfiguration
        do {
            var settings = PipelineSettings()
            if let path = config ?? environment["FRAUDSTREAM_CONFIG"] {
                settings = try PipelineSettings.load(contentsOf: path)
            }
            settings = settings.overriding(with: try PipelineSettings.fromEnvironment(environment))
            settings = settings.overriding(with: try flagSettings())
            configuration = try settings.resolve()
        } catch let error as ConfigurationError {
            throw CommandFailure("\(error)")
        }
        let rules = try loadRules(configuration.rulesFile)

        // Fail fast: the cluster answers and every topic exists.
        let admin = try KafkaAdminClient(
            configuration: KafkaConfiguration(
                bootstrapServers: configuration.bootstrapServers, clientID: "fraudstream-run",
                properties: configuration.kafkaProperties),
            logger: logger)
        do {
            try await admin.checkConnection(timeout: .milliseconds(Int64(connectTimeout * 1000)))
        } catch {
            logger.critical("cannot reach Kafka at \(configuration.bootstrapServers) within \(connectTimeout) s: \(error)")
            throw ExitCode.failure
        }
        do {
            try await admin.requireTopics(configuration.requiredTopics, timeout: .milliseconds(Int64(connectTimeout * 1000)))
        } catch {
            logger.critical("missing topics (create them first; required: \(configuration.requiredTopics.joined(separator: ", "))): \(error)")
            throw ExitCode.failure
        }

        logger.info(
            "starting: group \(configuration.groupID), in \(configuration.topics.transactions) + \(configuration.topics.labels), out \(configuration.topics.alerts), \(configuration.decisionLog ? configuration.topics.decisions : "no decision log"), \(configuration.topics.deadLetter); rules \(rules.version); \(ModelVersion(configuration: configuration.engine).prefix)")
        let signals = TerminationSignals()
        let processor = LiveProcessor(configuration: configuration, rules: rules, logger: logger)
        // Rules reload without restart (file change or SIGHUP).
        let rulesWatch = RulesWatch(path: configuration.rulesFile, initial: rules, processor: processor, logger: logger)
        defer { rulesWatch.stop() }
        let operations = try OperationsEndpoint.start(port: configuration.metricsPort, processor: processor, rulesWatch: rulesWatch, logger: logger)
        defer { operations?.stop() }
        if let operations { logger.info("serving /metrics, /healthz and /readyz on port \(operations.port)") }
        let processing = Task { try await processor.run() }
        let status = Task { await reportStatus(processor) }
        defer { status.cancel() }

        // Stop on a signal (then bounded: give up after --shutdown-timeout), or end when the
        // processor fails on its own.
        let stopper = Task {
            let signal = await signals.wait()
            logger.info("received signal \(signal): finishing in-flight work, committing, leaving the group")
            processor.stop()
            try await Task.sleep(for: .milliseconds(Int64(shutdownTimeout * 1000)))
            logger.critical("shutdown took longer than \(shutdownTimeout) s; exiting")
            Foundation.exit(1)
        }
        defer { stopper.cancel() }
        do {
            try await processing.value
        } catch {
            logger.critical("the processor stopped: \(error)")
            printStatus(processor.statistics, rate: 0)
            throw ExitCode.failure
        }
        printStatus(processor.statistics, rate: 0, final: true)
    }

    /// The rules file's rule set, or the built-in score thresholds without one.
    private func loadRules(_ path: String?) throws -> RuleSet {
        guard let path else { return .builtIn }
        do {
            return try RuleSet.load(contentsOf: path)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    private func reportStatus(_ processor: LiveProcessor) async {
        guard statusInterval > 0 else { return }
        var last = processor.statistics.transactionMessages
        var lastTime = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int64(statusInterval * 1000)))
            if Task.isCancelled { return }
            let stats = processor.statistics
            let now = ContinuousClock.now
            let seconds = (now - lastTime).seconds
            let rate = seconds > 0 ? Double(stats.transactionMessages - last) / seconds : 0
            last = stats.transactionMessages
            lastTime = now
            printStatus(stats, rate: rate)
        }
    }

    private func printStatus(_ stats: ProcessorStatistics, rate: Double, final: Bool = false) {
        let alerts = RuleAction.allCases.map { "\($0.rawValue)=\(stats.alerts[$0] ?? 0)" }.joined(separator: " ")
        let line = "\(final ? "stopped" : "status"): \(Int(rate.rounded())) tx/s | scored \(stats.transactionsScored) | alerts \(alerts) | dead letters \(stats.deadLetterCount) | labels \(stats.labelsApplied) | decisions \(stats.decisionRecords)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
