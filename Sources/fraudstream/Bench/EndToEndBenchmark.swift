import ArgumentParser
import FraudEngine
import FraudPipeline
import FraudRules
import FraudSimulator
import Foundation
import Synchronization
import Histogram
import Logging
import RdKafka

/// `fraudstream bench e2e`: the live processor end to end through the embedded broker.
struct EndToEndBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Measure the live processor end to end: sustained throughput and event-to-alert latency.",
        discussion: """
            Everything runs in this process on an embedded broker (librdkafka's mock cluster): \
            the same LiveProcessor as `fraudstream run`, with the decision log on and the \
            built-in rules.

            Throughput: the simulator writes --transactions transactions (and their fraud \
            reports) to the transactions topic first; then the processor consumes, decodes, \
            merges the partitions in event-time order, scores, learns, and produces an alert \
            per actioned transaction and a decision record per transaction. Measured from the \
            first scored transaction to the moment every transaction was scored and every \
            output acknowledged by the broker (group join excluded). The topic gets enough \
            partitions that the mock, which keeps about 5 MB per partition, keeps them all.

            Latency: the simulator writes at --rate transactions per second for --seconds \
            while the processor runs; a consumer reads the decisions and alerts topics, and \
            each record's latency is the time from handing its transaction to the producer to \
            receiving the output (produce, broker, consume, score, produce, broker, consume), \
            taken when the reader's poll thread receives it. The topics have \
            --latency-partitions partitions. The first --warmup seconds are left out. \
            Percentiles from an HdrHistogram.
            """
    )

    @Option(help: "Transactions in the throughput phase.")
    var transactions: Int = 300_000

    @Option(help: "Runs of the throughput phase; the median is printed when more than one.")
    var runs: Int = 1

    @Option(help: "Transactions per second in the latency phase.")
    var rate: Double = 50_000

    @Option(help: "Seconds of the latency phase (after the warm-up).")
    var seconds: Double = 10

    @Option(help: "Seconds at the start of the latency phase left out of the figures.")
    var warmup: Double = 3

    @Option(
        name: [.customShort("X"), .customLong("kafka-property")],
        help: ArgumentHelp("A librdkafka property for the processor's consumer and producer in both phases (repeatable), e.g. -X compression.type=lz4.", valueName: "key=value"))
    var rawProperties: [String] = []

    @Option(help: "The processor's reorder_wait_ms (event-time merge of the partitions).")
    var reorderWaitMs: Int = 500

    @Option(help: "Checkpoint every this many seconds into a temporary directory (default: no checkpoints).")
    var checkpointInterval: Int?

    /// Two by default, one per core of the target machine: librdkafka 2.0.2's mock broker finds
    /// a fetch offset by walking the partition's retained message sets from the oldest, for
    /// every partition of every fetch, so its CPU grows with the partition count (at 50,000
    /// tx/s, 8 partitions kept 1.7 of the 2 cores busy against 1.2 for 2). A real broker
    /// indexes offsets.
    @Option(
        help: "Partitions of the transactions, alerts and decisions topics in the latency phase (the embedded broker's CPU per fetch grows with partitions × retained batches: it walks them from the oldest).")
    var latencyPartitions: Int = 2

    @Flag(
        inversion: .prefixedNo,
        help: "Also read the whole decisions topic in the latency phase, for event-to-decision latency (a reader of every record, in this process, on the same two cores).")
    var decisionLatency = true

    @Flag(help: "Skip the latency phase.")
    var noLatency = false

    @Flag(help: "Skip the throughput phase.")
    var noThroughput = false

    func validate() throws {
        guard transactions >= 1_000 else { throw ValidationError("--transactions must be at least 1000") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be in (0, 1000000]") }
        guard (1...64).contains(latencyPartitions) else { throw ValidationError("--latency-partitions must be in 1...64") }
        guard seconds > 0, warmup >= 0 else { throw ValidationError("--seconds must be positive and --warmup not negative") }
        _ = try KafkaBenchmark.parseProperties(rawProperties, "-X")
    }

    private var extraProperties: [String: String] { (try? KafkaBenchmark.parseProperties(rawProperties, "-X")) ?? [:] }

    /// librdkafka settings of the throughput phase: short fetch waits (the mock holds empty
    /// fetches for the whole wait); the processor's own 5 ms linger.
    static let throughputProperties: [String: String] = EmbeddedKafkaCluster.lowLatencyConsumerProperties
    /// The latency phase: also a 1 ms linger (latency over batching).
    static let latencyProperties: [String: String] = EmbeddedKafkaCluster.lowLatencyConsumerProperties.merging(
        ["linger.ms": "1"]) { a, _ in a }

    private static func describe(_ properties: [String: String]) -> String {
        properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.bench.e2e")
        logger.logLevel = .error
        print("bench e2e: LiveProcessor through the embedded broker, decision log on, built-in rules; properties: throughput \(Self.describe(Self.throughputProperties)), latency \(Self.describe(Self.latencyProperties)), both \(Self.describe(extraProperties))")
        if !noThroughput {
            var rates: [Double] = []
            for run in 1...runs {
                let result = try await throughputRun(logger: logger)
                rates.append(result.rate)
                print("throughput run \(run): \(result.transactions) transactions, \(result.outputs) outputs (\(result.alerts) alerts), \(result.labels) labels over \(result.partitions) partitions in \(GenerateCommand.formatted(result.seconds, 2)) s: \(Int(result.rate)) tx/s end to end (dead letters \(result.deadLetters), forced releases \(result.forced); processing task busy \(Int((result.busy / result.seconds * 100).rounded())) %, CPU per transaction: processing thread \(GenerateCommand.formatted(result.processingCPU / Double(result.transactions) * 1e6, 2)) µs, whole process \(GenerateCommand.formatted(result.processCPU / Double(result.transactions) * 1e6, 2)) µs\(checkpointInterval == nil ? "" : "; \(result.checkpoints) checkpoints, \(result.incrementalCheckpoints) of them incremental"))")
            }
            if runs > 1 {
                print("throughput median of \(runs): \(Int(rates.sorted()[rates.count / 2])) tx/s")
            }
        }
        if !noLatency { try await latencyRun(logger: logger) }
    }

    struct ThroughputResult {
        var transactions: Int
        var labels: Int
        var outputs: Int
        var alerts: Int
        var deadLetters: Int
        var forced: Int
        var partitions: Int
        var seconds: Double
        var busy: Double
        var checkpoints: Int
        var incrementalCheckpoints: Int
        /// CPU seconds of the processing thread and of the whole process over the run.
        var processingCPU: Double
        var processCPU: Double
        var rate: Double { Double(transactions) / seconds }
    }

    private func throughputRun(logger: Logger) async throws -> ThroughputResult {
        // ~4 MB of transactions per partition, under the mock's ~5 MB retention.
        let partitions = max(8, Int((Double(transactions) * 330 / 4_000_000).rounded(.up)))
        let topics = PipelineTopics()
        let cluster = try EmbeddedKafkaCluster(
            topics: [
                topics.transactions: partitions, topics.labels: 4, topics.alerts: 8,
                topics.decisions: 8, topics.deadLetter: 1,
            ],
            logger: logger)
        defer { cluster.shutdown() }

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], clientID: "bench-feed", linger: .milliseconds(5),
                deliveryReports: .errorsOnly),
            logger: logger)
        let feed = SimulatedFeed(
            stream: try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 5_000, terminals: 10_000, days: 183, seed: 1)),
            producer: producer,
            configuration: SimulatedFeed.Configuration(
                transactionsTopic: topics.transactions, labelsTopic: topics.labels, rate: nil,
                maxTransactions: transactions))
        try await feed.run()
        try await producer.close(timeout: .seconds(60))
        let sent = feed.progress

        var configuration = PipelineConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupID: "bench-e2e", topics: topics,
            kafkaProperties: Self.throughputProperties.merging(extraProperties) { _, new in new },
            reorderWait: .milliseconds(reorderWaitMs))
        let checkpointDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fraudstream-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: checkpointDirectory) }
        if let checkpointInterval {
            configuration.checkpointDirectory = checkpointDirectory
            configuration.checkpointInterval = .seconds(checkpointInterval)
        }
        let processor = LiveProcessor(configuration: configuration, rules: .builtIn, logger: logger)
        let processing = Task { try await processor.run() }
        var first: ContinuousClock.Instant?
        var done: ContinuousClock.Instant?
        var firstCPU = (processing: 0.0, process: 0.0)
        var doneCPU = (processing: 0.0, process: 0.0)
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let s = processor.statistics
            let now = ContinuousClock.now
            if first == nil, s.transactionsScored > 0 {
                first = now
                firstCPU = (s.processingCPUSeconds, Self.processCPUSeconds())
            }
            let outputs = s.decisionRecords + s.alertCount + s.deadLetterCount
            if s.transactionMessages >= sent.transactions, s.labelMessages >= sent.labels,
                s.deliveredOutputs >= outputs
            {
                done = now
                doneCPU = (s.processingCPUSeconds, Self.processCPUSeconds())
                break
            }
            if processing.isCancelled { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        processor.stop()
        try await processing.value
        guard let first, let done else { throw CommandFailure("bench e2e: the processor did not finish within 600 s") }
        let s = processor.statistics
        return ThroughputResult(
            transactions: s.transactionsScored, labels: s.labelsApplied,
            outputs: s.decisionRecords + s.alertCount + s.deadLetterCount, alerts: s.alertCount,
            deadLetters: s.deadLetterCount, forced: s.forcedReleases, partitions: partitions,
            seconds: (done - first).seconds, busy: s.busySeconds, checkpoints: s.checkpoints,
            incrementalCheckpoints: s.incrementalCheckpoints,
            processingCPU: doneCPU.processing - firstCPU.processing, processCPU: doneCPU.process - firstCPU.process)
    }

    /// CPU seconds of the whole process (all threads, user and system) so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private func latencyRun(logger: Logger) async throws {
        let topics = PipelineTopics()
        let cluster = try EmbeddedKafkaCluster(
            topics: [
                topics.transactions: latencyPartitions, topics.labels: 4, topics.alerts: latencyPartitions,
                topics.decisions: latencyPartitions, topics.deadLetter: 1,
            ],
            logger: logger)
        defer { cluster.shutdown() }
        // Simulated time runs far faster than the clock at this rate: a day of lateness
        // (see `fraudstream demo`) keeps scheduling noise from turning into dead letters.
        var engine = EngineConfiguration.default
        engine.allowedLatenessMillis = 86_400_000
        let configuration = PipelineConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupID: "bench-latency", topics: topics, engine: engine,
            kafkaProperties: Self.latencyProperties.merging(extraProperties) { _, new in new },
            reorderWait: .milliseconds(reorderWaitMs))
        let processor = LiveProcessor(configuration: configuration, rules: .builtIn, logger: logger)
        let processing = Task { try await processor.run() }

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], clientID: "bench-feed", linger: .milliseconds(1),
                deliveryReports: .errorsOnly, properties: ["socket.nagle.disable": "true"]),
            logger: logger)
        let total = Int((rate * (seconds + warmup)).rounded())
        let feed = SimulatedFeed(
            stream: try SimulatedEventStream(
                configuration: SimulatorConfiguration(customers: 5_000, terminals: 10_000, days: 183, seed: 1)),
            producer: producer,
            configuration: SimulatedFeed.Configuration(
                transactionsTopic: topics.transactions, labelsTopic: topics.labels, rate: rate, maxTransactions: total),
            recordSendTimes: true)
        let recorder = LatencyRecorder(feed: feed)
        var readers: [KafkaConsumer] = []
        var readTasks: [Task<Void, any Error>] = []
        let read: [(String, LatencyRecorder.Kind)] =
            decisionLatency ? [(topics.decisions, .decision), (topics.alerts, .alert)] : [(topics.alerts, .alert)]
        for (topic, kind) in read {
            // Received when the reader's poll thread takes the batch from librdkafka, not when
            // its task next gets one of the two cooperative threads (which the processor and
            // the feed in this process keep busy; a real alert consumer runs elsewhere).
            let reader = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    bootstrapServers: [cluster.bootstrapServers], groupID: "bench-latency-\(topic)",
                    autoOffsetReset: .earliest, properties: EmbeddedKafkaCluster.lowLatencyConsumerProperties,
                    prepareBatch: { _ in ContinuousClock.now }),
                topics: [topic], logger: logger)
            readers.append(reader)
            readTasks.append(Task {
                for try await batch in reader.batches {
                    let now = (batch.prepared as? ContinuousClock.Instant) ?? ContinuousClock.now
                    for message in batch { recorder.record(message.value, kind: kind, at: now) }
                }
            })
        }
        // Start feeding once the processor and the readers have joined their groups.
        try await Task.sleep(for: .seconds(4))
        let began = ContinuousClock.now
        recorder.startCounting(after: began + .milliseconds(Int64(warmup * 1000)))
        try await feed.run()
        let fed = ContinuousClock.now
        let settle = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < settle, processor.statistics.transactionsScored < feed.progress.transactions {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(500))
        processor.stop()
        try await processing.value
        try await producer.close(timeout: .seconds(10))
        for reader in readers { try? await reader.close() }
        for task in readTasks { task.cancel() }
        let achieved = Double(feed.progress.transactions) / (fed - began).seconds
        print("latency: \(feed.progress.transactions) transactions at \(Int(achieved)) tx/s (target \(Int(rate))) for \(GenerateCommand.formatted((fed - began).seconds, 1)) s, first \(warmup) s left out; dead letters \(processor.statistics.deadLetterCount)")
        for kind in [LatencyRecorder.Kind.alert, .decision] {
            let h = recorder.histogram(kind)
            guard h.totalCount > 0 else {
                print("  \(kind.rawValue): no samples")
                continue
            }
            func ms(_ p: Double) -> String { GenerateCommand.formatted(Double(h.valueAtPercentile(p)) / 1000, 2) }
            print("  event-to-\(kind.rawValue) latency (\(h.totalCount) samples): p50 \(ms(50)) ms, p90 \(ms(90)) ms, p99 \(ms(99)) ms, p99.9 \(ms(99.9)) ms, max \(GenerateCommand.formatted(Double(h.max) / 1000, 2)) ms")
        }
        let input = recorder.inputPath
        if input.totalCount > 0 {
            func ms(_ p: Double) -> String { GenerateCommand.formatted(Double(input.valueAtPercentile(p)) / 1000, 1) }
            print("  of which send-to-processing (decision processed_at, 1 ms resolution): p50 \(ms(50)) ms, p90 \(ms(90)) ms, p99 \(ms(99)) ms")
        }
    }
}

/// Latencies from handing a transaction to the producer to reading an output about it.
final class LatencyRecorder: Sendable {
    enum Kind: String, Sendable {
        case alert, decision
    }

    private struct State {
        var countAfter: ContinuousClock.Instant?
        /// Send → `processed_at` of the decision (wall clock, millisecond resolution).
        var inputPath = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var alerts = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var decisions = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    private let feed: SimulatedFeed
    private let state = Mutex(State())
    /// One instant and the wall-clock time then, to place instants on the wall clock.
    private let base = (instant: ContinuousClock.now, wallMillis: Date().timeIntervalSince1970 * 1000)

    init(feed: SimulatedFeed) { self.feed = feed }

    func startCounting(after instant: ContinuousClock.Instant) { state.withLock { $0.countAfter = instant } }

    /// Records the output `value` (an alert or a decision record, both starting with
    /// `{"alert_id":…` or `{"transaction_id":…`) received at `now`.
    func record(_ value: ArraySlice<UInt8>?, kind: Kind, at now: ContinuousClock.Instant) {
        guard let value, let id = Self.transactionID(in: value), let sent = feed.sendTime(of: id) else { return }
        let micros = UInt64(max(0, (now - sent).seconds * 1_000_000))
        var inputMicros: UInt64?
        if kind == .decision, let processedAt = Self.processedAt(in: value) {
            let sentWall = base.wallMillis + (sent - base.instant).seconds * 1000
            inputMicros = UInt64(max(0, (Double(processedAt) - sentWall) * 1000))
        }
        state.withLock { s in
            guard let after = s.countAfter, sent >= after else { return }
            switch kind {
            case .alert: s.alerts.record(micros)
            case .decision: s.decisions.record(micros)
            }
            if let inputMicros { s.inputPath.record(inputMicros) }
        }
    }

    func histogram(_ kind: Kind) -> Histogram<UInt64> {
        state.withLock { kind == .alert ? $0.alerts : $0.decisions }
    }

    /// Send → the processor's `processed_at` (the input half of the decision latency).
    var inputPath: Histogram<UInt64> { state.withLock { $0.inputPath } }

    private static let processedKey = Array(#""processed_at":""#.utf8)

    static func processedAt(in bytes: ArraySlice<UInt8>) -> Int64? {
        guard let start = bytes.lastRange(of: processedKey)?.upperBound,
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\""))
        else { return nil }
        return try? RFC3339.parse(String(decoding: bytes[start..<end], as: UTF8.self))
    }

    private static let key = Array(#""transaction_id":""#.utf8)

    /// The first `"transaction_id":"…"` value (ids need no escaping in the simulator's output).
    static func transactionID(in bytes: ArraySlice<UInt8>) -> String? {
        guard let start = bytes.firstRange(of: key)?.upperBound,
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\""))
        else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
