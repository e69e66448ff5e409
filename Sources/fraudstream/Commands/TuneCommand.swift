import ArgumentParser
import FraudAnalysis
import FraudRules
import Foundation

/// `fraudstream tune`: threshold tables from decisions and labels, the threshold to use for
/// a daily alert budget or a target precision, an HTML report and a tuned rules file.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Threshold tables and the recommended threshold from decisions and fraud labels.",
        discussion: """
            Reads a decision log (the decision records of `run` or `replay`, or the lines of \
            `evaluate --decisions-out`) and a labels file, and prints, for score thresholds from 0 \
            to 1, what flagging every transaction with score >= threshold gives: alerts, alerts \
            per day, frauds caught, precision, recall, fraud amount caught and card precision@k.

            With --alerts-per-day N (the investigators' capacity) and/or --target-precision P it \
            recommends the lowest threshold (in steps of 0.001) that meets them, and says why. \
            With --by channel|country: a table and a threshold per segment; a budget is then \
            split between segments where an extra alert catches the most fraud.

            Alerts per day = alerts / the UTC calendar days from the first to the last event \
            time, both included. A transaction is a fraud when its last label (by reported_at) \
            says is_fraud. Duplicate records of a transaction id are dropped (the last is kept). \
            Decisions without amount, channel or country are completed from --transactions.

            --write-rules writes --rules (default rules/default.yaml when it exists, else the \
            built-in thresholds) with the --action threshold set to the recommendation (per \
            segment with --by) and a new version; lists and explicit rules are kept.
            """
    )

    @Option(help: ArgumentHelp("Decision log (NDJSON).", valueName: "path"))
    var decisions: String

    @Option(help: ArgumentHelp("Labels (NDJSON): fraud reports.", valueName: "path"))
    var labels: String

    @Option(help: ArgumentHelp("Transactions (NDJSON), to complete decisions without amount, channel or country.", valueName: "path"))
    var transactions: String?

    @Option(help: ArgumentHelp("Daily alert budget: recommend the lowest threshold with at most N alerts per day.", valueName: "N"))
    var alertsPerDay: Double?

    @Option(help: ArgumentHelp("Recommend the lowest threshold whose precision is at least P.", valueName: "P"))
    var targetPrecision: Double?

    @Option(help: ArgumentHelp("A table and a threshold per segment: channel or country.", valueName: "dimension"))
    var by: String?

    @Option(help: "Threshold step of the printed table.")
    var step: Double = 0.05

    @Option(name: .customLong("card-precision-k"), help: "k of card precision@k (cards investigated per day).")
    var cardPrecisionK: Int = 100

    @Option(help: ArgumentHelp("Write a self-contained HTML report (tables and charts) here.", valueName: "path"))
    var report: String?

    @Option(help: ArgumentHelp("Write a rules file with the recommended thresholds here.", valueName: "path"))
    var writeRules: String?

    @Option(help: ArgumentHelp("Rules file to start from for --write-rules (default: rules/default.yaml if present, else built-in thresholds).", valueName: "path"))
    var rules: String?

    @Option(help: ArgumentHelp("The action whose threshold --write-rules sets: review, alert or block.", valueName: "action"))
    var action: String = "review"

    @Option(help: ArgumentHelp("Version of the written rules (default: the base version + tune.<hash>).", valueName: "version"))
    var rulesVersion: String?

    func run() async throws {
        do {
            try execute()
        } catch let error as AnalysisError {
            throw CommandFailure("tune: \(error.message)")
        }
    }

    private func execute() throws {
        let began = ContinuousClock.now
        let criteria = TuningCriteria(alertsPerDay: alertsPerDay, targetPrecision: targetPrecision)
        try criteria.validate()
        let dimension = try by.map { value throws(AnalysisError) in try SegmentDimension(argument: value) }
        guard step.isFinite, step > 0, step <= 1 else { throw AnalysisError("--step must be in (0, 1], got \(step)") }
        guard cardPrecisionK >= 1 else { throw AnalysisError("--card-precision-k must be at least 1, got \(cardPrecisionK)") }
        guard let tunedAction = RuleAction(rawValue: action) else {
            throw AnalysisError("unknown --action '\(action)': expected review, alert or block")
        }
        if writeRules != nil && criteria.isEmpty {
            throw AnalysisError("--write-rules needs a threshold to write: give --alerts-per-day or --target-precision")
        }
        // Load the base rules first: a bad rules file should not wait for the decisions.
        let base = try writeRules.map { _ in try loadBaseRules() }

        let truth = try FraudLabels.read(path: labels)  // small: its problems are found before the decisions are read
        var log = try DecisionLog.read(path: decisions)
        if let transactions { try log.complete(fromTransactionsAt: transactions) }
        let options = TuningOptions(
            criteria: criteria, dimension: dimension, tableThresholds: TuningOptions.thresholds(step: step), k: cardPrecisionK)
        let result = try Tuner(options: options).tune(log, labels: truth)
        print(result.text())

        if let report {
            var inputs = [("decisions", decisions), ("labels", labels)]
            if let transactions { inputs.append(("transactions", transactions)) }
            try write(TuningHTMLReport(result: result, inputs: inputs).html(), to: report, what: "report")
            print("report written to \(report)")
        }
        if let writeRules, let base {
            let writer = TunedRules(base: base.rules, action: tunedAction)
            let tuned: RuleSet
            if let dimension {
                let missing = result.segments.filter { $0.recommendation == nil }.map(\.name)
                guard missing.isEmpty else {
                    throw AnalysisError("--write-rules: no threshold meets \(criteria.description) for \(dimension.rawValue) \(missing.joined(separator: ", ")); relax the criteria")
                }
                tuned = try writer.rules(dimension: dimension, thresholds: result.segmentThresholds, version: rulesVersion)
            } else {
                tuned = try writer.rules(threshold: result.overall.recommendation!.threshold, version: rulesVersion)
            }
            let header = rulesHeader(result, base: base.name, action: tunedAction)
            try write(writer.yaml(tuned, header: header), to: writeRules, what: "rules file")
            print("rules \(tuned.version) written to \(writeRules) (from \(base.name), \(tunedAction.rawValue) threshold tuned)")
        }
        let seconds = (ContinuousClock.now - began).seconds
        fflush(nil)  // the tables first, then the timing line
        FileHandle.standardError.write(Data("tune: \(result.decisions) decisions in \(TextFormat.decimal(seconds, 2)) s\n".utf8))
    }

    private func loadBaseRules() throws -> (rules: RuleSet, name: String) {
        let path = rules ?? (FileManager.default.fileExists(atPath: "rules/default.yaml") ? "rules/default.yaml" : nil)
        guard let path else { return (.builtIn, "the built-in thresholds") }
        do {
            return (try RuleSet.load(contentsOf: path), path)
        } catch {
            throw AnalysisError("--rules: \(error.summary)")
        }
    }

    private func rulesHeader(_ result: TuningResult, base: String, action: RuleAction) -> String {
        var lines = [
            "Written by fraudstream tune from \(base): only score thresholds changed.",
            "Decisions: \(decisions), \(result.span.description); labels: \(labels).",
            "Criteria: \(result.options.criteria.description); \(action.rawValue) threshold (flagged = \(action.rawValue) or stronger):",
        ]
        if result.options.dimension != nil {
            for (value, threshold) in result.segmentThresholds { lines.append("  \(value): \(TextFormat.decimal(threshold, 3))") }
        } else if let threshold = result.overall.recommendation?.threshold {
            lines.append("  all transactions: \(TextFormat.decimal(threshold, 3))")
        }
        return lines.joined(separator: "\n")
    }

    private func write(_ text: String, to path: String, what: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw AnalysisError("cannot write the \(what) \(path): \((error as NSError).localizedDescription)")
        }
    }
}
