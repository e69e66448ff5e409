import ArgumentParser
import FraudEngine
import FraudPipeline
import Foundation
import Logging
import RdKafka

/// `fraudstream bench restart`: how long a live processor takes, from its start, to its first
/// decision with a large restored state.
struct RestartBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Measure a restart: from the processor's start to its first new decision, with a large checkpoint.",
        discussion: """
            Builds an engine holding --cards distinct cards (one payment each, the default \
            pending-label buffer filled), writes it as the checkpoint of a processor into a \
            temporary directory, starts the embedded broker with one new transaction waiting, \
            then, --runs times: starts a LiveProcessor on that directory and times its start \
            to the first decision scored and to its decision record acknowledged. For \
            comparison, the same without a checkpoint (fresh engine): the group join alone. \
            The broker makes an empty group wait 3 s for more members before its first \
            assignment (Kafka's default group.initial.rebalance.delay.ms); the processor \
            restores its checkpoint meanwhile.
            """
    )

    @Option(help: "Distinct cards in the restored engine.")
    var cards: Int = 1_000_000

    @Option(help: "Runs; medians are printed when more than one.")
    var runs: Int = 3

    func validate() throws {
        guard cards >= 1, cards <= 20_000_000 else { throw ValidationError("--cards must be in 1...20000000") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.bench.restart")
        logger.logLevel = .error
        let topics = PipelineTopics()
        let settings = PipelineConfiguration(
            bootstrapServers: "unused", groupID: "unused", topics: topics)
        let built = ContinuousClock.now
        let engine = try LargeEngine.build(cards: cards, configuration: settings.engine)
        let t0 = LargeEngine.start
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fraudstream-bench-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for p in 0..<4 {
            offsets[KafkaTopicPartition(topic: topics.transactions, partition: Int32(p))] = 0
            offsets[KafkaTopicPartition(topic: topics.labels, partition: Int32(p))] = 0
        }
        let checkpoint = ProcessorCheckpoint(
            sequence: 1, createdAt: Int64(Date().timeIntervalSince1970 * 1000), groupID: "bench-restart",
            stateVersion: engine.statistics.eventsProcessed, eventTime: engine.currentTime,
            modelVersion: ModelVersion(configuration: settings.engine).prefix, run: "bench",
            offsets: offsets, engineState: engine.checkpoint())
        let size = checkpoint.encodedPieces().reduce(0) { $0 + $1.count }
        print("checkpoint: \(cards) cards, \(engine.statistics.pendingCount) pending labels, \(size / 1_000_000) MB (built in \(GenerateCommand.formatted((ContinuousClock.now - built).seconds, 1)) s)")

        var restored: [(scored: Double, recorded: Double)] = []
        var fresh: [(scored: Double, recorded: Double)] = []
        for run in 1...runs {
            // A directory of its own each time: a run leaves its shutdown checkpoint behind.
            let runDirectory = directory + "/run-\(run)"
            try CheckpointStore(directory: runDirectory).write(checkpoint)
            let withState = try await restart(checkpointDirectory: runDirectory, at: t0 + Int64(cards) + 60_000, logger: logger)
            let without = try await restart(checkpointDirectory: nil, at: t0 + Int64(cards) + 60_000, logger: logger)
            restored.append(withState)
            fresh.append(without)
            print("run \(run): with the checkpoint: first decision \(ms(withState.scored)) ms after the start, its record acknowledged at \(ms(withState.recorded)) ms; without (group join only): \(ms(without.scored)) ms, \(ms(without.recorded)) ms")
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("median of \(runs): with \(cards) cards restored, first decision \(ms(median(restored.map(\.scored)))) ms (record acknowledged \(ms(median(restored.map(\.recorded)))) ms); fresh engine \(ms(median(fresh.map(\.scored)))) ms: the restore adds \(ms(median(restored.map(\.scored)) - median(fresh.map(\.scored)))) ms to the broker's group join")
    }

    private func ms(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

    /// Starts a processor (restoring `checkpointDirectory` when given) on a fresh embedded
    /// broker with one transaction waiting; seconds from its start to the first decision
    /// scored and to its record acknowledged.
    private func restart(checkpointDirectory: String?, at time: EpochMillis, logger: Logger) async throws
        -> (scored: Double, recorded: Double)
    {
        let topics = PipelineTopics()
        let cluster = try EmbeddedKafkaCluster(
            topics: [topics.transactions: 4, topics.labels: 4, topics.alerts: 4, topics.decisions: 4, topics.deadLetter: 1],
            logger: logger)
        defer { cluster.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: [cluster.bootstrapServers], clientID: "bench-restart"),
            logger: logger)
        let transaction = Transaction(
            transactionID: "after-restart", cardID: "card-7", merchantID: "m7", amount: Money(units: 4_200_000),
            currency: CurrencyCode("EUR")!, timestamp: time, terminalID: "t7", mcc: 5411, country: "FR",
            channel: "card_present", latitude: 48.8, longitude: 2.3)
        try await producer.send(
            KafkaProducerMessage(
                topic: topics.transactions, key: Array(transaction.cardID.utf8),
                value: TransactionEncoder().encode(transaction), id: 1))
        try await producer.close(timeout: .seconds(10))

        var configuration = PipelineConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupID: "bench-restart", topics: topics,
            kafkaProperties: EmbeddedKafkaCluster.lowLatencyConsumerProperties)
        configuration.checkpointDirectory = checkpointDirectory
        configuration.checkpointInterval = .seconds(3600)
        let processor = LiveProcessor(configuration: configuration, rules: .builtIn, logger: logger)
        let started = ContinuousClock.now
        let processing = Task { try await processor.run() }
        var scored: Double?
        var recorded: Double?
        let deadline = started + .seconds(120)
        while ContinuousClock.now < deadline, recorded == nil {
            let s = processor.statistics
            let now = ContinuousClock.now
            if scored == nil, s.transactionsScored > 0 { scored = (now - started).seconds }
            if s.transactionsScored > 0, s.deliveredOutputs >= s.decisionRecords + s.alertCount { recorded = (now - started).seconds }
            try await Task.sleep(for: .milliseconds(1))
        }
        processor.stop()
        try await processing.value
        guard let scored, let recorded else { throw CommandFailure("bench restart: no decision within 120 s") }
        if checkpointDirectory != nil, processor.statistics.restoredFrom != 1 {
            throw CommandFailure("bench restart: the processor did not restore the checkpoint")
        }
        return (scored, recorded)
    }
}
