import ArgumentParser
import FraudEngine
import FraudIO
import FraudPipeline
import FraudRules
import Foundation
import RdKafka

/// `fraudstream replay`: the engine over history, from a retained checkpoint or from scratch,
/// in the live processor's order, writing decision records in the live format.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run the engine over history (NDJSON files or Kafka topic ranges) and write its decisions.",
        discussion: """
            Events are applied in the live processor's order: by event time, labels before \
            transactions at equal times (for topics: then partition, then offset). Decisions are \
            written as decision records (schemas/decision.schema.json) to --out (NDJSON) or \
            --out-topic, never to the live alerts or decisions topics, and no checkpoint is ever \
            written: a replay only reads the live state.

            Start from scratch (an empty engine configured by --config), or from a retained \
            checkpoint (--checkpoint FILE, or --checkpoint-dir D with --checkpoint-sequence N, or \
            the newest valid one of D); the checkpoint's own engine configuration then applies. \
            With topics and a checkpoint, reading starts at the checkpoint's offsets unless --from \
            says otherwise.

            What-if: give another --rules-file or a --threshold, and --compare-with the recorded \
            decisions (with --truth-labels) to see alerts added and removed and the metrics \
            before and after.
            """)

    @Option(help: ArgumentHelp("Transactions NDJSON file (file input).", valueName: "path"))
    var transactions: String?

    @Option(help: ArgumentHelp("Labels NDJSON file applied in event-time order (file input).", valueName: "path"))
    var labels: String?

    @OptionGroup(title: "Kafka input (instead of files): the configuration's transactions and labels topics")
    var kafka: KafkaOptions

    @Option(help: ArgumentHelp("Kafka input from: beginning, checkpoint (the checkpoint's offsets; the default with one), an RFC 3339 time or epoch ms of the messages' timestamps (offsets-for-times; not the transactions' event time), or offset:N (every partition).", valueName: "bound"))
    var from: String?

    @Option(help: ArgumentHelp("Kafka input up to (exclusive): end (the default: the high watermarks now), an RFC 3339 time or epoch ms, or offset:N.", valueName: "bound"))
    var to: String?

    @Option(name: .customLong("transactions-topic"), help: "Transactions topic (default: the configuration's).")
    var transactionsTopic: String?

    @Option(name: .customLong("labels-topic"), help: "Labels topic (default: the configuration's).")
    var labelsTopic: String?

    @Option(help: ArgumentHelp("Configuration file (engine and topic settings, as for `run`).", valueName: "path"))
    var config: String?

    @Option(name: .customLong("rules-file"), help: ArgumentHelp("Rules that decide actions (default: the configuration's, else the built-in thresholds).", valueName: "path"))
    var rulesFile: String?

    @Option(help: "What-if: every score threshold replaced by one — alert at or above this score, no score-based review or block (explicit rules and lists unchanged).")
    var threshold: Double?

    @Option(help: ArgumentHelp("Start from this checkpoint file.", valueName: "path"))
    var checkpoint: String?

    @Option(name: .customLong("checkpoint-dir"), help: ArgumentHelp("Start from a checkpoint of this directory (the newest valid one, or --checkpoint-sequence).", valueName: "path"))
    var checkpointDir: String?

    @Option(name: .customLong("checkpoint-sequence"), help: "With --checkpoint-dir: this checkpoint.")
    var checkpointSequence: UInt64?

    @Option(help: ArgumentHelp("Write decision records here (NDJSON; `-` for standard output).", valueName: "path"))
    var out: String?

    @Option(name: .customLong("out-topic"), help: ArgumentHelp("Write decision records to this topic (never a live one).", valueName: "topic"))
    var outTopic: String?

    @Option(name: .customLong("compare-with"), help: ArgumentHelp("What-if: recorded decisions (NDJSON) to compare the replayed ones with.", valueName: "path"))
    var compareWith: String?

    @Option(name: .customLong("truth-labels"), help: ArgumentHelp("With --compare-with: fraud labels (NDJSON) for precision, recall and fraud amount caught (default: --labels).", valueName: "path"))
    var truthLabels: String?

    @Option(help: ArgumentHelp("With --compare-with: write the comparison as a self-contained HTML report.", valueName: "path"))
    var report: String?

    @Option(help: "Seconds to wait for the cluster before giving up.")
    var timeout: Double = 10

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        let files = transactions != nil
        let topics = kafka.bootstrap != nil
        guard files != topics else {
            throw ValidationError("give the history: --transactions FILE [--labels FILE], or --bootstrap HOST:PORT for the topics (not both)")
        }
        if !topics && (from != nil || to != nil) { throw ValidationError("--from and --to bound Kafka input (with --bootstrap)") }
        if files && labels == nil && compareWith == nil {
            // Allowed (a history without labels), but rarely meant: say so in the summary.
        }
        if checkpoint != nil && checkpointDir != nil { throw ValidationError("give --checkpoint or --checkpoint-dir, not both") }
        if checkpointSequence != nil && checkpointDir == nil { throw ValidationError("--checkpoint-sequence needs --checkpoint-dir") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold \(threshold): must be in [0, 1]") }
        guard (out != nil) != (outTopic != nil) || compareWith != nil else {
            throw ValidationError("say where decisions go: --out FILE (or - for standard output) or --out-topic TOPIC")
        }
        if out != nil && outTopic != nil { throw ValidationError("give --out or --out-topic, not both") }
        if outTopic != nil && !topics { throw ValidationError("--out-topic needs --bootstrap") }
        if (truthLabels != nil || report != nil) && compareWith == nil {
            throw ValidationError("--truth-labels and --report go with --compare-with")
        }
        if compareWith != nil && truthLabels == nil && labels == nil {
            throw ValidationError("--compare-with needs labels for precision and recall: --truth-labels FILE (or --labels)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let settings = try ReplaySetup.settings(config: config, bootstrap: kafka.bootstrap)
        var topics = settings.topics
        if let transactionsTopic { topics.transactions = transactionsTopic }
        if let labelsTopic { topics.labels = labelsTopic }
        if let outTopic {
            let live = [settings.topics.transactions, settings.topics.labels, settings.topics.alerts, settings.topics.decisions, settings.topics.deadLetter, topics.transactions, topics.labels]
            guard !live.contains(outTopic) else {
                throw CommandFailure("replay: --out-topic \(outTopic) is a live topic (\(live.joined(separator: ", "))): a replay never writes there; choose another")
            }
        }
        let rules = try ReplaySetup.rules(path: rulesFile ?? settings.rulesFile, threshold: threshold)
        let loaded = try ReplaySetup.checkpoint(file: checkpoint, directory: checkpointDir, sequence: checkpointSequence)
        let engine: Engine
        if let loaded {
            do {
                engine = try ReplaySetup.restoreEngine(loaded.checkpoint, path: loaded.path)
            } catch let failure as CommandFailure {
                throw CommandFailure("replay: \(failure)")
            }
            GenerateCommand.printError(
                "replay: starting from checkpoint \(loaded.path) (sequence \(loaded.checkpoint.sequence), state version \(loaded.checkpoint.stateVersion))")
        } else {
            engine = Engine(configuration: settings.engine)
        }

        let runID = "replay-" + ProcessorRun.makeID(startedAt: ReplaySetup.nowMillis())
        let core = ReplayCore(engine: engine, rules: rules, run: runID)
        let output = try await ReplayOutput.open(
            file: out ?? (compareWith != nil && outTopic == nil ? FileManager.default.temporaryDirectory.appendingPathComponent("fraudstream-whatif-\(UUID().uuidString).ndjson").path : nil),
            topic: outTopic, kafka: kafka, timeout: timeout)
        let progress = quiet ? nil : ProgressPrinter(command: "replay", unit: "tx")
        let clock = ContinuousClock()
        let began = clock.now
        var shownRejections = 0
        var events = 0
        let processedAt = ReplaySetup.nowMillis()
        func handle(_ event: HistoryEvent, progressNow: () -> (Int, Int)) async throws {
            events += 1
            switch core.apply(event, processedAt: processedAt) {
            case .decided(let decision, _):
                try await output.write(core.record, key: decision.cardID)
            case .rejected(let reason) where shownRejections < 5:
                if case .rejected(let position, _) = event {
                    GenerateCommand.printError("replay: \(Self.place(position)): skipped: \(reason)")
                }
                shownRejections += 1
            case .refused(let error) where shownRejections < 5:
                if case .transaction(let t, let position) = event {
                    GenerateCommand.printError("replay: \(Self.place(position)): \(t.transactionID) refused: \(error)")
                }
                shownRejections += 1
            default: break
            }
            if events & 0x7FFF == 0, let progress {
                let (consumed, total) = progressNow()
                progress.report(done: core.statistics.transactionsScored, consumed: consumed, total: total)
            }
        }

        var labelsLeft = 0
        var releasedEarly = 0
        var threadTimes: ParallelReplay.ThreadTimes?
        do {
            if let transactions {
                let history: NDJSONHistory
                do {
                    history = try NDJSONHistory(transactionsPath: transactions, labelsPath: labels)
                } catch {
                    throw CommandFailure("replay: \(error)")
                }
                if let writer = output.writer {
                    // The engine on a thread of its own; decoding, encoding and writing on another.
                    core.writesRecords = false
                    let job = FileReplayJob(
                        history: history, core: core, writer: writer, processedAt: processedAt, progress: progress)
                    try await job.runOnThread()
                    events += job.events
                    threadTimes = job.threadTimes
                } else {
                    while let event = try history.next() {
                        try await handle(event) { history.progress }
                    }
                }
                labelsLeft = history.labelsAfterLastTransaction
            } else {
                let configuration = KafkaConfiguration(
                    bootstrapServers: kafka.bootstrap!, clientID: "fraudstream-replay", properties: try kafka.properties)
                let ranges = try await kafkaRanges(configuration, topics: topics, checkpoint: loaded?.checkpoint)
                let history = KafkaHistory(
                    configuration: configuration, ranges: ranges, transactionsTopic: topics.transactions,
                    labelsTopic: topics.labels, maxMessageBytes: settings.maxMessageBytes, timeout: .seconds(timeout))
                GenerateCommand.printError("replay: reading \(history.messagesTotal) messages of \(ranges.filter { !$0.isEmpty }.count) partitions")
                try await history.forEach { event in
                    try await handle(event) { (history.messagesRead, history.messagesTotal) }
                }
                releasedEarly = history.releasedEarly
            }
            try await output.close()
        } catch let error as FileIOError {
            throw CommandFailure("replay: \(error)")
        } catch let error as KafkaError {
            throw CommandFailure("replay: \(error)")
        }
        if let progress {
            progress.report(done: core.statistics.transactionsScored, consumed: 1, total: 1)
        }
        let seconds = (clock.now - began).seconds
        let s = core.statistics
        let actions = RuleAction.allCases.map { "\($0.rawValue) \(s.actions[$0] ?? 0)" }.joined(separator: ", ")
        let rejected = s.rejected.values.reduce(0, +)
        var summary = "replay: \(s.transactionsScored) decisions (\(actions)), \(s.labelsApplied) labels applied"
        if labelsLeft > 0 { summary += " (\(labelsLeft) reported after the last transaction, not applied)" }
        if rejected > 0 {
            summary += ", \(rejected) inputs skipped ("
                + s.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        if releasedEarly > 0 { summary += ", \(releasedEarly) released out of order (merge capacity)" }
        summary += "; rules \(rules.version); \(Int(Double(s.transactionsScored) / max(seconds, 1e-9))) tx/s"
        if let t = threadTimes, seconds > 0 {
            summary += " (engine thread \(Int(100 * t.engine / seconds)) % busy, reading and writing thread \(Int(100 * t.caller / seconds)) %)"
        }
        GenerateCommand.printError(summary)
        if let compareWith, let replayed = output.filePath {
            try WhatIfReport.run(
                recorded: compareWith, replayed: replayed, replayedName: out ?? "this replay",
                labels: truthLabels ?? labels!, transactions: transactions, report: report, command: "replay: what-if")
            if out == nil { try? FileManager.default.removeItem(atPath: replayed) }
        }
    }

    /// The partition ranges to read: every partition of the two topics, from the checkpoint's
    /// offsets (or `--from`) to `--to`.
    private func kafkaRanges(
        _ configuration: KafkaConfiguration, topics: PipelineTopics, checkpoint: ProcessorCheckpoint?
    ) async throws -> [KafkaPartitionRange] {
        let fromText = from ?? (checkpoint != nil ? "checkpoint" : "beginning")
        if fromText == "checkpoint" && checkpoint == nil {
            throw CommandFailure("replay: --from checkpoint needs --checkpoint or --checkpoint-dir")
        }
        if checkpoint != nil && fromText != "checkpoint" {
            throw CommandFailure(
                "replay: with a checkpoint, reading starts at its offsets (the events before are in its state); drop --from \(fromText)")
        }
        let lower = fromText == "checkpoint" ? KafkaRangeBound.beginning : try Self.bound(fromText, option: "--from")
        let upper = try Self.bound(to ?? "end", option: "--to")
        var ranges = try await KafkaRangeReader.resolve(
            topics: [topics.transactions, topics.labels], from: lower, to: upper, configuration: configuration,
            timeout: .seconds(timeout))
        if let checkpoint {
            for i in ranges.indices {
                let tp = ranges[i].topicPartition
                guard let start = checkpoint.offsets[tp] else {
                    GenerateCommand.printError("replay: the checkpoint does not cover \(tp): reading it from the beginning")
                    continue
                }
                ranges[i].start = start
                if ranges[i].end < start { ranges[i].end = start }
            }
        }
        return ranges
    }

    static func bound(_ text: String, option: String) throws -> KafkaRangeBound {
        switch text {
        case "beginning": return .beginning
        case "end": return .end
        default:
            if text.hasPrefix("offset:"), let n = Int64(text.dropFirst(7)), n >= 0 { return .offset(n) }
            if let millis = Int64(text) { return .timestamp(millis) }
            if let millis = try? RFC3339.parse(text) { return .timestamp(millis) }
            throw CommandFailure(
                "replay: \(option) \(text): expected beginning, end, checkpoint, an RFC 3339 time, epoch milliseconds or offset:N")
        }
    }

    static func place(_ p: InputPosition) -> String {
        p.partition == 0 && FileManager.default.fileExists(atPath: p.topic) ? "\(p.topic):\(p.offset)" : p.description
    }
}
