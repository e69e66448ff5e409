import FraudIO
import ArgumentParser
import FraudEngine
import FraudEvaluation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fraudstream evaluate`: prequential ("test, then train") evaluation of the engine over
/// NDJSON files, with the handbook's metrics.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Run the engine prequentially over NDJSON files and print quality metrics.",
        discussion: """
            Reads transactions in file order (event-time order, as `generate` writes them). Before \
            scoring a transaction at time t, applies every label with reported_at <= t; each \
            transaction is scored before anything about it is learned. The truth for the metrics \
            is the labels file (a transaction is a fraud when its last label says is_fraud).

            Metrics cover transactions from midnight UTC --burn-in-days after the first \
            transaction's day: ROC AUC and average precision of the score, card precision@k per \
            day (averaged over days), alert precision and recall at --threshold \
            (alert = score >= threshold), and throughput.

            A line that does not decode stops the run with file:line and the reason (exit 1); \
            with --skip-invalid such lines are counted and skipped. Transactions the engine \
            refuses (too late, too far ahead) are counted, not fatal.
            """
    )

    @Option(help: "Transactions NDJSON file, in event-time order.")
    var transactions: String

    @Option(help: "Labels NDJSON file (fraud reports).")
    var labels: String

    @Option(help: "Write one NDJSON decision per transaction here.")
    var decisionsOut: String?

    @Option(help: "Days learned but not measured, from the first transaction's day.")
    var burnInDays: Int = 30

    @Option(help: "Alert when score >= this.")
    var threshold: Double = 0.5

    @Option(help: "k of card precision@k (cards investigated per day).")
    var cardPrecisionK: Int = 100

    @Option(help: "Engine seed (Half-Space Trees' random splits).")
    var seed: UInt64 = EngineConfiguration.default.seed

    @Option(help: "Label policy: 'at-once' (presume legitimate at once) or 'mature:DAYS'.")
    var labelPolicy: String = "at-once"

    @Flag(help: "Card precision@k leaves out cards already found compromised on earlier days.")
    var excludeKnownCompromisedCards = false

    @Flag(help: "Count and skip lines that do not decode instead of stopping.")
    var skipInvalid = false

    @Flag(help: "No progress output.")
    var quiet = false

    mutating func validate() throws {
        guard burnInDays >= 0 else { throw ValidationError("--burn-in-days must be >= 0, got \(burnInDays)") }
        guard burnInDays <= 36_500 else { throw ValidationError("--burn-in-days must be <= 36500, got \(burnInDays)") }
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw ValidationError("--threshold must be within 0...1, got \(threshold)")
        }
        guard cardPrecisionK >= 1 else { throw ValidationError("--card-precision-k must be at least 1, got \(cardPrecisionK)") }
        _ = try Self.parseLabelPolicy(labelPolicy)
        guard !transactions.isEmpty else { throw ValidationError("--transactions must name a file") }
        guard !labels.isEmpty else { throw ValidationError("--labels must name a file") }
    }

    static func parseLabelPolicy(_ text: String) throws -> LabelPolicy {
        if text == "at-once" { return .presumeLegitimateAtOnce }
        if text.hasPrefix("mature:"), let days = Int(text.dropFirst("mature:".count)), (0...3650).contains(days) {
            return .matureAfter(days: days)
        }
        throw ValidationError("--label-policy must be 'at-once' or 'mature:DAYS' (0...3650), got '\(text)'")
    }

    func run() async throws {
        var engineConfiguration = EngineConfiguration.default
        engineConfiguration.seed = seed
        engineConfiguration.labelPolicy = try Self.parseLabelPolicy(labelPolicy)
        let engine = Engine(configuration: engineConfiguration)
        var configuration = PrequentialConfiguration(
            burnInDays: burnInDays, threshold: threshold, cardPrecisionK: cardPrecisionK,
            excludeKnownCompromisedCards: excludeKnownCompromisedCards, skipInvalid: skipInvalid)
        configuration.progressInterval = 32_768

        let report: PrequentialReport
        do {
            let labelReader = try NDJSONFileReader(path: labels)
            let (labelList, invalidLabels) = try PrequentialRunner.readLabels(labelReader, skipInvalid: skipInvalid)
            let transactionReader = try NDJSONFileReader(path: transactions)
            let runner = PrequentialRunner(scorer: engine, configuration: configuration)
            var writer: NDJSONFileWriter?
            if let decisionsOut {
                let file = try NDJSONFileWriter(path: decisionsOut, flushSize: 4 << 20)
                writer = file
                let encoder = DecisionEncoder()
                runner.onDecision = { _, decision, alert, isFraud in
                    encoder.encode(decision, alert: alert, isFraud: isFraud, into: &file.buffer)
                    try file.endLine()
                }
            }
            if !quiet { runner.onProgress = { [printer = ProgressPrinter(command: "evaluate", unit: "tx")] progress in
                    printer.report(done: progress.transactionsRead, consumed: progress.bytesConsumed, total: progress.totalBytes)
                } }
            var result = try runner.run(transactions: transactionReader, labels: labelList)
            result.invalidLabelLines = invalidLabels
            try writer?.close()
            report = result
        } catch let error as PrequentialInputError {
            GenerateCommand.printError("evaluate: \(error)")
            GenerateCommand.printError("evaluate: stopped; pass --skip-invalid to count and skip lines that do not decode")
            throw ExitCode.failure
        } catch let error as FileIOError {
            GenerateCommand.printError("evaluate: \(error)")
            throw ExitCode.failure
        }
        print(Self.render(report, configuration: configuration, seed: seed, engine: engine))
    }

    static func render(
        _ r: PrequentialReport, configuration: PrequentialConfiguration, seed: UInt64, engine: Engine
    ) -> String {
        let f = GenerateCommand.formatted
        func metric(_ value: Double?) -> String { value.map { f($0, 4) } ?? "n/a" }
        var lines: [String] = []
        let start = r.evaluationStart.map { String(RFC3339.format($0).prefix(10)) } ?? "-"
        lines.append("prequential evaluation (engine seed \(seed), burn-in \(configuration.burnInDays) days: measured from \(start))")
        lines.append("  transactions   \(r.transactionsRead) read, \(r.transactionsScored) scored, \(r.rejectedTransactions) refused by the engine\(r.transactionsRejected.isEmpty ? "" : " (" + r.transactionsRejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"), \(r.invalidTransactionLines) invalid lines skipped")
        lines.append("  labels         \(r.labelsRead) read (\(r.invalidLabelLines) invalid skipped), \(r.labelsAppliedDuringRun) applied during the run, \(r.labelsAppliedAfterRun) after; outcomes: " + r.labelOutcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        lines.append("  measured       \(r.evaluatedTransactions) transactions, \(r.evaluatedFrauds) frauds (\(f(r.evaluatedTransactions == 0 ? 0 : Double(r.evaluatedFrauds) * 100 / Double(r.evaluatedTransactions), 3))%), \(r.evaluatedDays) days")
        lines.append("  ROC AUC        \(metric(r.rocAUC))   (model probability \(metric(r.modelROCAUC)), anomaly \(metric(r.anomalyROCAUC)))")
        lines.append("  avg precision  \(metric(r.averagePrecision))")
        lines.append("  card prec@\(configuration.cardPrecisionK)  \(metric(r.cardPrecision?.mean))   (mean over \(r.cardPrecision?.days.count ?? 0) days\(configuration.excludeKnownCompromisedCards ? ", known compromised cards excluded" : ""))")
        let c = r.confusion
        lines.append("  at threshold \(configuration.threshold): \(c.alerts) alerts, precision \(metric(c.precision)), recall \(metric(c.recall)) (TP \(c.truePositives), FP \(c.falsePositives), FN \(c.falseNegatives), TN \(c.trueNegatives))")
        if r.evaluatedTransactions == 0 && r.transactionsScored > 0 {
            lines.append("  note: nothing was measured: the burn-in covers the whole input (lower --burn-in-days)")
        }
        lines.append("  throughput     \(Int(r.transactionsPerSecond.rounded())) tx/s, wall time \(f(r.elapsedSeconds, 2)) s")
        return lines.joined(separator: "\n")
    }
}
