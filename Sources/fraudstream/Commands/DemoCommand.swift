import ArgumentParser
import FraudEngine
import FraudPipeline
import FraudRules
import FraudSimulator
import Foundation
import Logging
import RdKafka

/// `fraudstream demo`: everything in one process on the embedded broker — the simulator
/// feeding transactions and delayed fraud reports at a steady rate, the live processor, and
/// a console view of what it does and how good its alerts are.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on an embedded Kafka broker with simulated payments, and watch it.",
        discussion: """
            Starts an embedded broker (librdkafka's mock cluster: a real Kafka-protocol \
            server on loopback) with the topics transactions, labels, alerts, decisions and \
            dead-letter; the simulator writing transactions and their fraud reports (1 to 14 \
            simulated days later) at --rate transactions per second; the live processor \
            (exactly what `fraudstream run` runs) with the rules of --rules-file; and a reader \
            of the alerts topic that checks every alert against the simulator's truth.

            Every --interval seconds it prints: transactions sent and scored per second, \
            consumer lag, alerts by action, the precision of the alerts so far (share of \
            alerted transactions that are frauds) and their recall (share of frauds sent that \
            were alerted), labels learned, dead letters and the simulated date. Simulated time \
            runs faster than the clock, so the model learns from fraud reports within minutes.

            Runs until Ctrl-C (SIGINT), SIGTERM or --duration, then stops cleanly (in-flight \
            work finished, offsets committed) and prints a summary. Other Kafka clients (kcat) \
            can read the topics while it runs: the bootstrap address is printed first. Edit \
            the rules file while it runs (or send SIGHUP) to change thresholds live.
            """
    )

    @Option(help: "Transactions per second the simulator writes.")
    var rate: Double = 5_000

    @Option(help: "Stop after this many seconds (default: until Ctrl-C).")
    var duration: Double?

    @Option(help: "Seconds between console updates.")
    var interval: Double = 2

    @Option(help: ArgumentHelp("Rules file (default: rules/default.yaml when present, else the built-in thresholds).", valueName: "path"))
    var rulesFile: String?

    @Option(help: "Simulated customers (one card each).")
    var customers: Int = 5_000

    @Option(help: "Simulated terminals.")
    var terminals: Int = 10_000

    @Option(help: "Simulated days (the feed ends after them).")
    var days: Int = 183

    @Option(help: "Seed of the simulator.")
    var seed: UInt64 = 1

    @Option(help: "Partitions of each topic on the embedded broker.")
    var partitions: Int = 8

    @Option(help: "Port of /metrics, /healthz and /readyz (default: off).")
    var metricsPort: Int?

    @Option(help: "Log level of the pipeline: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func validate() throws {
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be in (0, 1000000], got \(rate)") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive, got \(duration)") }
        guard interval >= 0.1 else { throw ValidationError("--interval must be at least 0.1 s, got \(interval)") }
        guard (1...256).contains(partitions) else { throw ValidationError("--partitions must be in 1...256, got \(partitions)") }
        guard customers >= 1, terminals >= 1, days >= 1 else {
            throw ValidationError("--customers, --terminals and --days must be at least 1")
        }
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be in 0...65535, got \(metricsPort)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Wall time by which a partition may lag the others and still be scored.
    static let lateSlackSeconds = 10.0

    /// The event time the feed simulates in ``lateSlackSeconds`` of wall time at `rate`, at
    /// least a day: the simulator averages `customers × mean(transactionsPerDayRange)`
    /// transactions a simulated day.
    static func allowedLatenessMillis(simulation: SimulatorConfiguration, rate: Double) -> Int64 {
        let perDay = Double(simulation.customers)
            * (simulation.transactionsPerDayRange.lowerBound + simulation.transactionsPerDayRange.upperBound) / 2
        let day = Double(CivilCalendar.millisPerDay)
        guard perDay > 0 else { return Int64(day) }
        let simulatedMillisPerSecond = rate / perDay * day
        return Int64(min(max(simulatedMillisPerSecond * lateSlackSeconds, day), 366 * day))
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.demo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let rulesPath = rulesFile ?? (FileManager.default.fileExists(atPath: "rules/default.yaml") ? "rules/default.yaml" : nil)
        let rules: RuleSet
        do {
            rules = try rulesPath.map { try RuleSet.load(contentsOf: $0) } ?? .builtIn
        } catch {
            throw CommandFailure("\(error)")
        }
        var simulation = SimulatorConfiguration(customers: customers, terminals: terminals, days: days, seed: seed)
        simulation.start = try GenerateCommand.parseStart("2026-04-01")
        let stream: SimulatedEventStream
        do {
            stream = try SimulatedEventStream(configuration: simulation)
        } catch {
            throw ValidationError("invalid simulation: \(error)")
        }

        let topics = PipelineTopics()
        let cluster = try EmbeddedKafkaCluster(
            topics: Dictionary(uniqueKeysWithValues: [
                topics.transactions, topics.labels, topics.alerts, topics.decisions, topics.deadLetter,
            ].map { ($0, partitions) }),
            logger: logger)
        defer { cluster.shutdown() }
        print("embedded broker at \(cluster.bootstrapServers) (topics \(topics.transactions), \(topics.labels), \(topics.alerts), \(topics.decisions), \(topics.deadLetter); \(partitions) partitions each)")
        print("rules: \(rulesPath ?? "built-in thresholds") (version \(rules.version)); simulator: \(customers) customers, \(terminals) terminals, \(days) days, seed \(seed), \(Int(rate)) tx/s")
        print("try: kcat -b \(cluster.bootstrapServers) -t \(topics.alerts) -C -o end")

        // Simulated time runs thousands of times faster than the clock (at 1,000 tx/s and 300
        // customers, a day and a half of event time a second): the engine's default lateness
        // of one hour would be milliseconds of wall time, less than the scheduling noise of a
        // busy machine. The demo allows what the feed simulates in `lateSlackSeconds` of wall
        // time (at least a day), so a partition delayed that long is still merged in order.
        var engine = EngineConfiguration.default
        engine.allowedLatenessMillis = Self.allowedLatenessMillis(simulation: simulation, rate: rate)
        print("allowed lateness: \(String(format: "%.1f", Double(engine.allowedLatenessMillis) / Double(CivilCalendar.millisPerDay))) days of event time (what the feed simulates in \(Int(Self.lateSlackSeconds)) s at this rate)")
        var configuration = PipelineConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupID: "fraudstream-demo", topics: topics, engine: engine,
            kafkaProperties: ["socket.nagle.disable": "true"], metricsPort: metricsPort, rulesFile: rulesPath)
        configuration.consumerProperties = EmbeddedKafkaCluster.lowLatencyConsumerProperties
        let processor = LiveProcessor(configuration: configuration, rules: rules, logger: logger)
        let rulesWatch = RulesWatch(path: rulesPath, initial: rules, processor: processor, logger: logger)
        defer { rulesWatch.stop() }
        let operations = try OperationsEndpoint.start(port: metricsPort, processor: processor, rulesWatch: rulesWatch, logger: logger)
        defer { operations?.stop() }
        if let operations { print("metrics at http://127.0.0.1:\(operations.port)/metrics") }

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], clientID: "fraudstream-demo-simulator",
                linger: .milliseconds(5), deliveryReports: .errorsOnly, properties: ["socket.nagle.disable": "true"]),
            logger: logger)
        let feed = SimulatedFeed(
            stream: stream, producer: producer,
            configuration: SimulatedFeed.Configuration(
                transactionsTopic: topics.transactions, labelsTopic: topics.labels, rate: rate))
        let checker = AlertChecker(feed: feed)
        let alertsReader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], groupID: "fraudstream-demo-alerts",
                clientID: "fraudstream-demo-alerts", autoOffsetReset: .earliest,
                properties: EmbeddedKafkaCluster.lowLatencyConsumerProperties),
            topics: [topics.alerts], logger: logger)

        let processing = Task { try await processor.run() }
        let feeding = Task { try await feed.run() }
        let reading = Task {
            for try await batch in alertsReader.batches {
                for message in batch { checker.record(message.value) }
            }
        }

        // Until a signal, --duration, or a component failing.
        let signals = TerminationSignals()
        let ended = AsyncStream<String>.makeStream()
        let signalTask = Task {
            let signal = await signals.wait()
            ended.continuation.yield(signal == SIGINT ? "interrupted" : "terminated")
        }
        let durationTask = Task {
            guard let duration else { return }
            try? await Task.sleep(for: .milliseconds(Int64(duration * 1000)))
            if !Task.isCancelled { ended.continuation.yield("--duration reached") }
        }
        let failureWatch = Task {
            do { try await processing.value } catch { ended.continuation.yield("processor failed: \(error)") }
        }
        let console = Task {
            let began = ContinuousClock.now
            var last = Snapshot.zero
            var lastTime = began
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                if Task.isCancelled { return }
                let now = ContinuousClock.now
                let snapshot = Snapshot(feed: feed.progress, processor: processor.statistics, alerts: checker.counts)
                print(snapshot.line(since: last, seconds: (now - lastTime).seconds, elapsed: (now - began).seconds))
                last = snapshot
                lastTime = now
            }
        }
        var reason = "ended"
        for await r in ended.stream {
            reason = r
            break
        }
        console.cancel()
        signalTask.cancel()
        durationTask.cancel()

        // Stop cleanly: the feed first, then let the processor catch up (bounded), then stop it.
        print("stopping (\(reason)): finishing in-flight work")
        feed.stop()
        _ = try? await feeding.value
        try? await producer.close(timeout: .seconds(10))
        let sent = feed.progress
        // Bounded, so that a stalled processor cannot hang the stop; generous, because on a
        // loaded 2-core machine the consumer can fall 10 s behind a steady feed.
        let catchUpLimit = 30
        let catchUp = ContinuousClock.now + .seconds(catchUpLimit)
        var caughtUp = false
        while !caughtUp && ContinuousClock.now < catchUp {
            let s = processor.statistics
            caughtUp = s.transactionMessages >= sent.transactions && s.labelMessages >= sent.labels
            if !caughtUp { try? await Task.sleep(for: .milliseconds(50)) }
        }
        if !caughtUp {
            let s = processor.statistics
            FileHandle.standardError.write(Data(
                "demo: the processor did not catch up within \(catchUpLimit) s (\(s.transactionMessages) of \(sent.transactions) transactions, \(s.labelMessages) of \(sent.labels) labels); stopping anyway\n".utf8))
        }
        processor.stop()
        var failure: (any Error)?
        do { try await processing.value } catch { failure = error }
        failureWatch.cancel()
        try? await Task.sleep(for: .milliseconds(300))  // the last alerts reach the reader
        try? await alertsReader.close()
        reading.cancel()
        _ = try? await reading.value

        let final = Snapshot(feed: feed.progress, processor: processor.statistics, alerts: checker.counts)
        print(final.summary(rules: rulesWatch.statistics))
        if let failure { throw CommandFailure("the processor stopped: \(failure)") }
    }
}
