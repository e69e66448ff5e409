import FraudEngine
import FraudPipeline
import FraudRules

/// What the demo console shows at one moment.
struct Snapshot {
    var feed: SimulatedFeed.Progress
    var processor: ProcessorStatistics
    var alerts: AlertChecker.Counts

    static let zero = Snapshot(feed: .init(), processor: .init(), alerts: .init())

    private var precision: String {
        alerts.total == 0 ? "-" : GenerateCommand.formatted(Double(alerts.totalFrauds) / Double(alerts.total), 2)
    }
    private var recall: String {
        feed.frauds == 0 ? "-" : GenerateCommand.formatted(Double(alerts.totalFrauds) / Double(feed.frauds), 2)
    }
    private var byAction: String {
        RuleAction.allCases.map { "\($0.rawValue) \(processor.alerts[$0] ?? 0)" }.joined(separator: ", ")
    }
    private var simulatedDate: String {
        processor.eventTime.map { String(RFC3339.format($0).prefix(10)) } ?? "-"
    }

    /// One console line: rates since `last`, over `seconds`.
    func line(since last: Snapshot, seconds: Double, elapsed: Double) -> String {
        let sentRate = Double(feed.transactions - last.feed.transactions) / max(seconds, 1e-9)
        let scoredRate = Double(processor.transactionsScored - last.processor.transactionsScored) / max(seconds, 1e-9)
        return "[\(Int(elapsed.rounded()))s] sent \(Int(sentRate.rounded()))/s, scored \(Int(scoredRate.rounded()))/s"
            + " (\(processor.transactionsScored) total), lag \(processor.consumerLag)"
            + " | alerts \(processor.alertCount) (\(byAction)) precision \(precision) recall \(recall)"
            + " | labels \(processor.labelsApplied), dead letters \(processor.deadLetterCount)"
            + (processor.onlineAUC.map { " | ROC AUC \(GenerateCommand.formatted($0, 3))" } ?? "") + " | \(simulatedDate)"
    }

    /// The closing summary.
    func summary(rules: RulesReloadStatistics?) -> String {
        var lines = [
            "summary:",
            "  sent       \(feed.transactions) transactions (\(feed.frauds) frauds), \(feed.labels) fraud reports",
            "  processed  \(processor.transactionsScored) scored, \(processor.labelsApplied) labels applied, \(processor.deadLetterCount) dead letters, \(processor.decisionRecords) decision records",
            "  alerts     \(processor.alertCount) (\(byAction)); read back \(alerts.total), of which frauds \(alerts.totalFrauds)",
            "  quality    precision \(precision), recall \(recall) (against the simulator's truth)",
        ]
        for action in RuleAction.allCases where (alerts.alerted[action] ?? 0) > 0 {
            let n = alerts.alerted[action] ?? 0
            let f = alerts.frauds[action] ?? 0
            lines.append("             \(action.rawValue): \(n) alerted, \(f) frauds (precision \(GenerateCommand.formatted(Double(f) / Double(n), 2)))")
        }
        if let auc = processor.onlineAUC {
            lines.append("  model      online ROC AUC \(GenerateCommand.formatted(auc, 3)) over \(processor.maturedPositives) frauds and \(processor.maturedNegatives) legitimate payments matured 30 simulated days")
        }
        if !processor.deadLetters.isEmpty {
            let reasons = processor.deadLetters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  rejected   \(reasons.joined(separator: ", ")) (dead-letter topic)")
        }
        if let rules { lines.append("  rules      \(rules.succeeded) reloads, \(rules.failed) rejected") }
        lines.append("  simulated  up to \(simulatedDate)")
        return lines.joined(separator: "\n")
    }
}
