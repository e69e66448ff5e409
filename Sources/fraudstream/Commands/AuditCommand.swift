import ArgumentParser
import FraudEngine
import FraudIO
import FraudPipeline
import FraudRules
import Foundation
import RdKafka

/// `fraudstream audit`: re-derives recorded decisions and says whether each is reproduced.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Re-derive recorded decisions from the decision log and the checkpoint that precedes them.",
        discussion: """
            For --transaction ID, or every decision with an event time in --from..--to, the engine \
            is restored from the newest retained checkpoint of the decision's run at or before it \
            (or the run's starting point), the run's events since are read back at their recorded \
            positions (Kafka offsets, or file lines for a file replay's records) and applied again in \
            the recorded order, and each re-derived decision record is compared with the recorded one \
            byte for byte. Prints, for each decision, the recorded and replayed score, action, rule ids \
            and reason codes (all of them for one transaction; the mismatches for a range) and a \
            summary; exits with status 1 on any mismatch (also of a decision between the checkpoint \
            and the audited ones). --report writes a self-contained HTML page. The recorded \
            processed_at and run are written back as recorded (they are not derived).
            """)

    @Option(help: ArgumentHelp("Decision log as NDJSON (e.g. exported with kcat, or written by replay).", valueName: "path"))
    var decisions: String?

    @Option(name: .customLong("decisions-topic"), help: ArgumentHelp("Decision log topic, read whole (needs --bootstrap).", valueName: "topic"))
    var decisionsTopic: String?

    @Option(name: .customLong("checkpoint-dir"), help: ArgumentHelp("The live processor's checkpoint directory (checkpoints and runs/ manifests).", valueName: "path"))
    var checkpointDir: String?

    @Option(help: ArgumentHelp("Audit this transaction's decision(s).", valueName: "id"))
    var transaction: String?

    @Option(help: ArgumentHelp("Audit decisions with an event time at or after this (RFC 3339 or epoch ms).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("… and before this (RFC 3339 or epoch ms).", valueName: "time"))
    var to: String?

    @Option(name: .customLong("rules-file"), help: ArgumentHelp("A rules file the live processor used (repeatable; matched by version; the built-in rules are known).", valueName: "path"))
    var rulesFiles: [String] = []

    @Option(help: ArgumentHelp("The live configuration (engine settings for runs that started from scratch; decoder limits).", valueName: "path"))
    var config: String?

    @OptionGroup(title: "Kafka (to read the inputs back, and --decisions-topic)")
    var kafka: KafkaOptions

    @Option(help: ArgumentHelp("Write a self-contained HTML report here.", valueName: "path"))
    var report: String?

    @Option(help: "Seconds to wait for the cluster before giving up.")
    var timeout: Double = 10

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        guard (decisions == nil) != (decisionsTopic == nil) else {
            throw ValidationError("give the decision log: --decisions FILE or --decisions-topic TOPIC (one of them)")
        }
        if decisionsTopic != nil && kafka.bootstrap == nil { throw ValidationError("--decisions-topic needs --bootstrap") }
        let range = from != nil || to != nil
        guard (transaction != nil) != range else {
            throw ValidationError("say what to audit: --transaction ID, or --from TIME --to TIME")
        }
        if range && (from == nil || to == nil) { throw ValidationError("a range needs both --from and --to") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let selection: AuditSelection
        let question: String
        if let transaction {
            selection = .transaction(transaction)
            question = "transaction \(transaction)"
        } else {
            let start = try Self.time(from!, option: "--from")
            let end = try Self.time(to!, option: "--to")
            guard start < end else {
                throw CommandFailure("audit: --from \(from!) is not before --to \(to!): the time range is reversed or empty")
            }
            selection = .eventTime(from: start, to: end)
            question = "decisions with event times from \(RFC3339.format(start)) to \(RFC3339.format(end))"
        }
        let settings = try ReplaySetup.settings(config: config, bootstrap: kafka.bootstrap)
        var rules: [RuleSet] = []
        for path in rulesFiles {
            do { rules.append(try RuleSet.load(contentsOf: path)) } catch { throw CommandFailure("audit: \(error)") }
        }
        let kafkaConfiguration = try kafka.bootstrap.map {
            KafkaConfiguration(bootstrapServers: $0, clientID: "fraudstream-audit", properties: try kafka.properties)
        }
        let records = try await readRecords(kafka: kafkaConfiguration)
        GenerateCommand.printError("audit: \(records.count) decision records read")

        var limits = DecoderLimits.default
        limits.maxMessageBytes = settings.maxMessageBytes
        let fetcher = CombinedHistoryFetcher(
            kafka: kafkaConfiguration.map { KafkaHistoryFetcher(configuration: $0, timeout: .seconds(timeout)) },
            isFile: { $0.contains("/") })
        let auditor = Auditor(
            records: records, checkpointDirectory: checkpointDir, engineConfiguration: settings.engine, rules: rules,
            fetcher: fetcher, limits: limits, note: { GenerateCommand.printError("audit: \($0)") })
        if !quiet {
            let progress = ProgressPrinter(command: "audit", unit: "events")
            auditor.onProgress = { applied, total in progress.report(done: applied, consumed: applied, total: total) }
        }
        let result: AuditReport
        do {
            result = try await auditor.audit(selection)
        } catch let error as AuditError {
            throw CommandFailure("audit: \(error)")
        } catch let error as KafkaError {
            throw CommandFailure("audit: reading the inputs back: \(error)")
        }

        let shown = transaction != nil ? result.entries : result.entries.filter { !$0.matches }
        for entry in shown.prefix(50) { print(Self.describe(entry)) }
        if shown.count > 50 { print("… \(shown.count - 50) more mismatches (see --report)") }
        for run in result.runs where run.precedingMismatches > 0 {
            print("run \(run.run): \(run.precedingMismatches) of \(run.precedingChecked) earlier decisions also differ: the state had diverged before the audited ones")
        }
        print("\(result.reproduced) decisions reproduced, \(result.mismatches) mismatches")
        if let report {
            var inputs: [(String, String)] = [("decision log", decisions ?? "topic \(decisionsTopic!)")]
            inputs.append(("checkpoint directory", checkpointDir ?? "(none)"))
            if let bootstrap = kafka.bootstrap { inputs.append(("Kafka cluster", bootstrap)) }
            inputs.append(("rules files", rulesFiles.isEmpty ? "(built-in rules only)" : rulesFiles.joined(separator: ", ")))
            let page = AuditHTMLReport(
                question: question, inputs: inputs, generatedAt: RFC3339.format(ReplaySetup.nowMillis())
            ).render(result)
            do {
                try page.write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure("audit: cannot write the report \(report): \(error.localizedDescription)")
            }
            GenerateCommand.printError("audit: report written to \(report)")
        }
        // A difference before the audited decisions is a mismatch of the log too.
        if result.mismatches > 0 || result.runs.contains(where: { $0.precedingMismatches > 0 }) { throw ExitCode(1) }
    }

    /// The decision log's records.
    private func readRecords(kafka: KafkaConfiguration?) async throws -> [DecisionRecord] {
        var records: [DecisionRecord] = []
        if let path = decisions {
            do {
                let reader = try NDJSONFileReader(path: path)
                while let bytes = try reader.nextLine({ Array($0) }) {
                    do {
                        records.append(try DecisionRecord.decode(bytes, location: "\(path):\(reader.lineNumber)"))
                    } catch {
                        throw CommandFailure("audit: \(path):\(reader.lineNumber): not a decision record: \(Self.reason(error))")
                    }
                }
            } catch let error as FileIOError {
                throw CommandFailure("audit: \(error)")
            }
            return records
        }
        let topic = decisionsTopic!
        do {
            let reader = try await KafkaRangeReader(
                configuration: kafka!, topics: [topic], from: .beginning, to: .end, timeout: .seconds(timeout))
            for try await message in reader.messages {
                let location = "\(topic)[\(message.partition)]@\(message.offset)"
                do {
                    records.append(try DecisionRecord.decode(message.value.map { Array($0) } ?? [], location: location))
                } catch {
                    throw CommandFailure("audit: \(location): not a decision record: \(Self.reason(error))")
                }
            }
            await reader.close()
        } catch let error as KafkaError {
            throw CommandFailure("audit: reading the decision log \(topic): \(error)")
        }
        return records
    }

    static func describe(_ entry: AuditEntry) -> String {
        let r = entry.recorded
        var lines = ["\(r.transactionID)  card \(r.cardID)  event time \(r.eventTime)  run \(r.run)  state version \(r.stateVersion)"]
        func line(_ name: String, _ d: DecisionRecord?) -> String {
            guard let d else { return "  \(name): none" }
            let reasons = d.reasons.map { "\($0.code) \(String(format: "%+.3f", $0.contribution))" }.joined(separator: ", ")
            return "  \(name): score \(d.score), action \(d.action ?? "none"), rules [\(d.ruleIDs.joined(separator: ", "))], reasons [\(reasons)]"
        }
        lines.append(line("recorded  ", r))
        lines.append(line("re-derived", entry.replayedRecord))
        lines.append(entry.matches ? "  reproduced exactly" : "  MISMATCH: " + entry.differences.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }

    static func time(_ text: String, option: String) throws -> Int64 {
        if let millis = Int64(text) { return millis }
        do {
            return try RFC3339.parse(text)
        } catch {
            throw CommandFailure("audit: \(option) \(text): not an RFC 3339 time (e.g. 2026-05-01T00:00:00.000Z) or epoch milliseconds")
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "field \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        default: return "\(error)"
        }
    }
}
