import ArgumentParser
import FraudEngine
import FraudPipeline
import Foundation
import Logging
import RdKafka

/// `fraudstream bench restart`: how long a restarted `fraudstream run` process takes, from
/// its launch, to deliver its first new decision with a large restored state.
struct RestartBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Measure a restart: from launching `fraudstream run` to its first new decision, with a large checkpoint.",
        discussion: """
            Builds an engine holding --cards distinct cards (one payment each, the default \
            pending-label buffer filled) and writes it as a checkpoint. Then, --runs times and \
            for each --assignment: starts the embedded broker in this process with one new \
            transaction waiting, launches `fraudstream run` as a new process on a copy of the \
            checkpoint directory (a restart is a new process: its memory is cold, nothing is \
            loaded yet), and times from the launch to the arrival of that transaction's \
            decision record on the decisions topic (so connecting, restoring, scoring and \
            delivering are all inside); the record's state version shows the checkpoint was \
            restored. For comparison, the same without a checkpoint (fresh engine). \
            Assignments: all_partitions (a lone processor assigns every partition itself: \
            the restore is the critical path) and group (the broker makes an empty group \
            wait 3 s for more members before its first assignment, Kafka's default \
            group.initial.rebalance.delay.ms; the restore runs meanwhile).
            """
    )

    @Option(help: "Distinct cards in the restored engine.")
    var cards: Int = 1_000_000

    @Option(help: "Runs; medians are printed when more than one.")
    var runs: Int = 3

    @Option(help: "all_partitions, group or both (default).")
    var assignment: String = "both"

    private var assignments: [KafkaPartitionAssignment] {
        assignment == "both"
            ? [.allPartitions, .group] : KafkaPartitionAssignment(rawValue: assignment).map { [$0] } ?? []
    }

    func validate() throws {
        guard cards >= 1, cards <= 20_000_000 else { throw ValidationError("--cards must be in 1...20000000") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard !assignments.isEmpty else { throw ValidationError("--assignment must be all_partitions, group or both") }
    }

    private static let groupID = "bench-restart"

    func run() async throws {
        var logger = Logger(label: "fraudstream.bench.restart")
        // Teardown reconnect attempts are noise here; failures are thrown with the processor's log.
        logger.logLevel = .critical
        let topics = PipelineTopics()
        let engineConfiguration = PipelineConfiguration(bootstrapServers: "unused", topics: topics).engine
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fraudstream-bench-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let template = directory + "/template"
        let (stateVersion, eventTime) = try writeCheckpoint(into: template, configuration: engineConfiguration)

        var restored: [KafkaPartitionAssignment: [Double]] = [:]
        var fresh: [KafkaPartitionAssignment: [Double]] = [:]
        for run in 1...runs {
            for assignment in assignments {
                // A copy each time: a run leaves its shutdown checkpoint behind.
                let runDirectory = directory + "/run-\(run)-\(assignment.rawValue)"
                try copyDurably(template, to: runDirectory)
                let time = eventTime + 60_000
                let withState = try await restart(
                    checkpointDirectory: runDirectory, expectedStateVersion: stateVersion, assignment: assignment,
                    at: time, logger: logger)
                try? FileManager.default.removeItem(atPath: runDirectory)
                let without = try await restart(
                    checkpointDirectory: nil, expectedStateVersion: 0, assignment: assignment, at: time, logger: logger)
                restored[assignment, default: []].append(withState)
                fresh[assignment, default: []].append(without)
                print("run \(run), assignment \(assignment.rawValue): first decision recorded \(ms(withState)) ms after the launch with the checkpoint, \(ms(without)) ms with a fresh engine")
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        for assignment in assignments {
            print("median of \(runs), assignment \(assignment.rawValue): launch to first decision recorded \(ms(median(restored[assignment]!))) ms with \(cards) cards restored; \(ms(median(fresh[assignment]!))) ms with a fresh engine")
        }
    }

    private func ms(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

    /// Copies the checkpoint directory and flushes the copy to disk, as a checkpoint is
    /// before a crash: a restart must not compete with the copy's write-back.
    private func copyDurably(_ source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        for name in try FileManager.default.contentsOfDirectory(atPath: destination) {
            let fd = open(destination + "/" + name, O_RDONLY)
            guard fd >= 0 else { throw CommandFailure("bench restart: cannot open the copy of \(name)") }
            defer { close(fd) }
            guard fsync(fd) == 0 else { throw CommandFailure("bench restart: fsync of the copy of \(name) failed") }
        }
    }

    /// Builds the large engine and writes it as checkpoint 1 of `directory`; returns its
    /// state version and event time. The engine is gone when this returns.
    private func writeCheckpoint(into directory: String, configuration: EngineConfiguration) throws
        -> (stateVersion: UInt64, eventTime: EpochMillis)
    {
        let built = ContinuousClock.now
        let engine = try LargeEngine.build(cards: cards, configuration: configuration)
        let topics = PipelineTopics()
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for p in 0..<4 {
            offsets[KafkaTopicPartition(topic: topics.transactions, partition: Int32(p))] = 0
            offsets[KafkaTopicPartition(topic: topics.labels, partition: Int32(p))] = 0
        }
        let checkpoint = ProcessorCheckpoint(
            sequence: 1, createdAt: Int64(Date().timeIntervalSince1970 * 1000), groupID: Self.groupID,
            stateVersion: engine.statistics.eventsProcessed, eventTime: engine.currentTime,
            modelVersion: ModelVersion(configuration: configuration).prefix, run: "bench",
            offsets: offsets, engineState: engine.checkpoint())
        let path = try CheckpointStore(directory: directory).write(checkpoint)
        print("checkpoint: \(cards) cards, \(engine.statistics.pendingCount) pending labels, \(CheckpointStore.fileSize(path) / 1_000_000) MB (built in \(GenerateCommand.formatted((ContinuousClock.now - built).seconds, 1)) s)")
        return (checkpoint.stateVersion, engine.currentTime ?? LargeEngine.start)
    }

    /// Starts the embedded broker with one transaction waiting, launches `fraudstream run`
    /// (on `checkpointDirectory` when given), and returns the seconds from the launch to the
    /// arrival of that transaction's decision record. Stops the process with SIGTERM after.
    private func restart(
        checkpointDirectory: String?, expectedStateVersion: UInt64, assignment: KafkaPartitionAssignment,
        at time: EpochMillis, logger: Logger
    ) async throws -> Double {
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

        // The watcher reads the decisions topic without joining a group, so that its own
        // start does not wait for a group assignment.
        let watcher = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: [cluster.bootstrapServers], groupID: "bench-restart-watch",
                autoOffsetReset: .earliest, assignment: .allPartitions,
                properties: ["fetch.wait.max.ms": "5", "socket.nagle.disable": "true"]),
            topics: [topics.decisions], logger: logger)
        do {
            return try await launchAndWait(
                watcher: watcher, bootstrap: cluster.bootstrapServers, checkpointDirectory: checkpointDirectory,
                expectedStateVersion: expectedStateVersion, assignment: assignment, transactionID: transaction.transactionID)
        } catch {
            try? await watcher.close()
            throw error
        }
    }

    /// Launches `fraudstream run` and waits for the decision record of `transactionID`.
    private func launchAndWait(
        watcher: KafkaConsumer, bootstrap: String, checkpointDirectory: String?, expectedStateVersion: UInt64,
        assignment: KafkaPartitionAssignment, transactionID: String
    ) async throws -> Double {
        try await watcher.checkConnection()

        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fraudstream-bench-restart-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [
            "run", "--bootstrap", bootstrap, "--group-id", Self.groupID,
            "--assignment", assignment.rawValue, "--checkpoint-interval", "3600", "--status-interval", "0",
            "--log-level", "warning", "-X", "fetch.wait.max.ms=1",
        ] + (checkpointDirectory.map { ["--checkpoint-dir", $0] } ?? [])
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        let launched = ContinuousClock.now
        try process.run()
        func failure(_ message: String) -> CommandFailure {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return CommandFailure("bench restart: \(message); the process wrote:\n\(output.suffix(4000))")
        }

        let record: DecisionRecord
        do {
            record = try await firstRecord(watcher, timeout: .seconds(120))
        } catch {
            throw failure("no decision record within 120 s (\(error))")
        }
        let elapsed = (ContinuousClock.now - launched).seconds
        guard record.transactionID == transactionID, record.stateVersion == expectedStateVersion else {
            throw failure("the decision for \(record.transactionID) has state version \(record.stateVersion), expected \(transactionID) at \(expectedStateVersion) (the checkpoint was not restored as written)")
        }
        process.terminate()  // SIGTERM: graceful stop, a final checkpoint
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning, process.terminationStatus == 0 else {
            throw failure("`fraudstream run` did not stop cleanly on SIGTERM")
        }
        if ProcessInfo.processInfo.environment["BENCH_RESTART_SHOW_LOG"] != nil {
            print((try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        try await watcher.close()
        return elapsed
    }

    /// The first decision record `consumer` receives, decoded.
    private func firstRecord(_ consumer: KafkaConsumer, timeout: Duration) async throws -> DecisionRecord {
        try await withThrowingTaskGroup(of: DecisionRecord?.self) { group in
            group.addTask {
                for try await message in consumer.messages {
                    return try DecisionRecord.decode(Array(message.value ?? []), location: "\(message.topicPartition)@\(message.offset)")
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let first else { throw CommandFailure("timed out") }
            return first
        }
    }
}
