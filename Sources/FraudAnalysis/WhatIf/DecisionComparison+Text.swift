import FraudRules

extension DecisionComparison {
    /// Row and column names of ``transitions``.
    public static let actionNames = ["none", "review", "alert", "block"]

    /// The report printed by `fraudstream compare`: inputs, alerts added and removed, the
    /// action transitions and, with labels, the metrics before and after.
    public func text() -> String {
        var lines: [String] = []
        lines.append("what-if comparison")
        lines.append("  recorded    \(recorded.source): \(TextFormat.count(recorded.recordsRead)) records, \(TextFormat.count(recorded.duplicatesDropped)) duplicates dropped")
        lines.append("  replayed    \(replayed.source): \(TextFormat.count(replayed.recordsRead)) records, \(TextFormat.count(replayed.duplicatesDropped)) duplicates dropped")
        lines.append("  matched     \(TextFormat.count(matched)) transactions by id (\(TextFormat.count(onlyRecorded)) only recorded, \(TextFormat.count(onlyReplayed)) only replayed: not compared)")
        if let span { lines.append("  event time  \(span.description); alerts per day = alerts / \(span.days)") }
        if let amountNote { lines.append("  note        \(amountNote)") }
        lines.append("")
        let fraudNote = { (count: Int?) in count.map { " (\(TextFormat.count($0)) frauds)" } ?? "" }
        lines.append("alerts (a decision with an action) over the matched transactions:")
        lines.append("  added    \(TextFormat.count(added))\(fraudNote(addedFrauds))   no action recorded, an action after")
        lines.append("  removed  \(TextFormat.count(removed))\(fraudNote(removedFrauds))   an action recorded, none after")
        lines.append("  changed  \(TextFormat.count(changed))   a different action")
        lines.append("  same     \(TextFormat.count(unchanged))   the same action")
        lines.append("")
        lines.append("recorded action (rows) -> replayed action (columns):")
        lines.append(transitionTable().render(indent: 2))
        lines.append("")
        lines.append(metricsTable().render(indent: 2))
        if !addedExamples.isEmpty { lines.append("  added, highest scores first: \(addedExamples.joined(separator: ", "))") }
        if !removedExamples.isEmpty { lines.append("  removed, highest scores first: \(removedExamples.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }

    /// Transactions per (recorded action, replayed action).
    public func transitionTable() -> TextTable {
        var table = TextTable(headers: ["recorded \\ replayed"] + Self.actionNames + ["total"])
        for from in 0..<4 {
            table.append([Self.actionNames[from]] + transitions[from].map(TextFormat.count) + [TextFormat.count(transitions[from].reduce(0, +))])
        }
        return table
    }

    /// Before and after: alerts, per action, alerts per day and, with labels, precision,
    /// recall and fraud amount caught.
    public func metricsTable() -> TextTable {
        var table = TextTable(headers: ["", "recorded", "replayed", "change"])
        func row(_ name: String, _ old: Double?, _ new: Double?, _ format: (Double) -> String) {
            let change: String
            if let old, let new {
                let delta = new - old
                change = (delta > 0 ? "+" : "") + format(delta)
            } else {
                change = ""
            }
            table.append([name, old.map(format) ?? "n/a", new.map(format) ?? "n/a", change])
        }
        let count = { (value: Double) in TextFormat.count(Int(value)) }
        let metric = { (value: Double) in TextFormat.decimal(value, 3, trimZeros: false) }
        row("alerts", Double(recorded.outcome.alerts), Double(replayed.outcome.alerts), count)
        for (index, action) in RuleAction.allCases.enumerated() {
            row("  \(action.rawValue)", Double(recorded.alertsByAction[index]), Double(replayed.alertsByAction[index]), count)
        }
        row("alerts per day", recorded.outcome.alertsPerDay, replayed.outcome.alertsPerDay) { TextFormat.decimal($0, 1, trimZeros: false) }
        if hasLabels {
            row("frauds caught", Double(recorded.outcome.counts.truePositives), Double(replayed.outcome.counts.truePositives), count)
            row("precision", recorded.outcome.precision, replayed.outcome.precision, metric)
            for (index, action) in RuleAction.allCases.enumerated() {
                row("  \(action.rawValue)", precision(recorded, index), precision(replayed, index), metric)
            }
            row("recall", recorded.outcome.recall, replayed.outcome.recall, metric)
            let amount = { (value: Double) in TextFormat.amount(.init(units: Int64(value))) }
            row("fraud amount caught", recorded.outcome.fraudAmountCaught.map { Double($0.units) },
                replayed.outcome.fraudAmountCaught.map { Double($0.units) }, amount)
        }
        return table
    }

    private func precision(_ side: Side, _ index: Int) -> Double? {
        guard let frauds = side.fraudsByAction, side.alertsByAction[index] > 0 else { return nil }
        return Double(frauds[index]) / Double(side.alertsByAction[index])
    }
}
