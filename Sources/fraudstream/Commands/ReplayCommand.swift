import ArgumentParser
import FraudEngine
import FraudIO
import FraudPipeline
import FraudRules
import Foundation

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

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        guard transactions != nil else { throw ValidationError("give the history: --transactions FILE [--labels FILE]") }
        if checkpoint != nil && checkpointDir != nil { throw ValidationError("give --checkpoint or --checkpoint-dir, not both") }
        if checkpointSequence != nil && checkpointDir == nil { throw ValidationError("--checkpoint-sequence needs --checkpoint-dir") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold \(threshold): must be in [0, 1]") }
        guard out != nil else { throw ValidationError("say where decisions go: --out FILE (or - for standard output)") }
    }

    func run() async throws {
        let settings = try ReplaySetup.settings(config: config)
        let rules = try ReplaySetup.rules(path: rulesFile ?? settings.rulesFile, threshold: threshold)
        let (engine, origin) = try ReplaySetup.engine(
            configuration: settings.engine, checkpoint: checkpoint, directory: checkpointDir, sequence: checkpointSequence)
        if let origin { GenerateCommand.printError("replay: starting from \(origin)") }

        let runID = "replay-" + ProcessorRun.makeID(startedAt: ReplaySetup.nowMillis())
        let core = ReplayCore(engine: engine, rules: rules, run: runID)
        let history: NDJSONHistory
        do {
            history = try NDJSONHistory(transactionsPath: transactions!, labelsPath: labels)
        } catch {
            throw CommandFailure("replay: \(error)")
        }
        let writer = try ReplaySetup.writer(out!)
        let progress = quiet ? nil : ProgressPrinter(command: "replay", unit: "tx")
        let clock = ContinuousClock()
        let began = clock.now
        var shownRejections = 0
        var events = 0
        let processedAt = ReplaySetup.nowMillis()
        do {
            while let event = try history.next() {
                events += 1
                switch core.apply(event, processedAt: processedAt) {
                case .decided:
                    writer.buffer.append(contentsOf: core.record)
                    try writer.endLine()
                case .rejected(let reason) where shownRejections < 5:
                    if case .rejected(let position, _) = event {
                        GenerateCommand.printError("replay: \(position.topic):\(position.offset): skipped: \(reason)")
                    }
                    shownRejections += 1
                case .refused(let error) where shownRejections < 5:
                    if case .transaction(let t, let position) = event {
                        GenerateCommand.printError("replay: \(position.topic):\(position.offset): \(t.transactionID) refused: \(error)")
                    }
                    shownRejections += 1
                default: break
                }
                if events & 0x7FFF == 0, let progress {
                    let (consumed, total) = history.progress
                    progress.report(done: core.statistics.transactionsScored, consumed: consumed, total: total)
                }
            }
            try writer.close()
        } catch let error as FileIOError {
            throw CommandFailure("replay: \(error)")
        }
        if let progress {
            let (_, total) = history.progress
            progress.report(done: core.statistics.transactionsScored, consumed: total, total: total)
        }
        let seconds = (clock.now - began).seconds
        let s = core.statistics
        let actions = RuleAction.allCases.map { "\($0.rawValue) \(s.actions[$0] ?? 0)" }.joined(separator: ", ")
        let rejected = s.rejected.values.reduce(0, +)
        var summary = "replay: \(s.transactionsScored) decisions (\(actions)), \(s.labelsApplied) labels applied"
        if rejected > 0 {
            summary += ", \(rejected) inputs skipped ("
                + s.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        summary += "; rules \(rules.version); \(Int(Double(s.transactionsScored) / max(seconds, 1e-9))) tx/s"
        GenerateCommand.printError(summary)
    }
}
