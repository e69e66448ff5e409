import FraudRules

/// The `fraudstream compare --report` page: inputs and date range, alerts added and
/// removed, the action transitions, before/after metrics and a chart of alerts per day by
/// action. Self-contained (see ``HTMLPage``).
public struct ComparisonHTMLReport: Sendable {
    /// The comparison.
    public var comparison: DecisionComparison
    /// The inputs as (name, value) pairs.
    public var inputs: [(String, String)]

    /// Creates a report.
    public init(comparison: DecisionComparison, inputs: [(String, String)]) {
        self.comparison = comparison
        self.inputs = inputs
    }

    /// The page.
    public func html() -> String {
        let c = comparison
        var page = HTMLPage(title: "FraudStream what-if comparison")
        page.paragraph("Recorded decisions (what was decided) against replayed decisions (the same transactions with other rules or thresholds). An alert is a decision with an action: review, alert or block.", className: "note")
        page.heading("Inputs")
        var facts = inputs
        facts += [
            ("recorded", "\(c.recorded.source): \(TextFormat.count(c.recorded.recordsRead)) records, \(TextFormat.count(c.recorded.duplicatesDropped)) duplicates dropped"),
            ("replayed", "\(c.replayed.source): \(TextFormat.count(c.replayed.recordsRead)) records, \(TextFormat.count(c.replayed.duplicatesDropped)) duplicates dropped"),
            ("matched", "\(TextFormat.count(c.matched)) transactions (\(TextFormat.count(c.onlyRecorded)) only recorded, \(TextFormat.count(c.onlyReplayed)) only replayed: not compared)"),
            ("period (event time)", c.span?.description ?? "no matched transaction"),
        ]
        page.facts(facts)
        if let note = c.amountNote { page.paragraph(note, className: "warning") }
        if !c.hasLabels { page.paragraph("No labels file was given: counts only, no precision, recall or fraud amount.", className: "warning") }

        page.heading("Summary")
        var summary = "\(TextFormat.count(c.added)) alerts added"
        if let frauds = c.addedFrauds { summary += " (\(TextFormat.count(frauds)) of them frauds)" }
        summary += ", \(TextFormat.count(c.removed)) removed"
        if let frauds = c.removedFrauds { summary += " (\(TextFormat.count(frauds)) of them frauds)" }
        summary += ", \(TextFormat.count(c.changed)) with another action, \(TextFormat.count(c.unchanged)) unchanged."
        page.paragraph(summary, className: "recommendation")
        page.table(c.metricsTable(), caption: "Before (recorded) and after (replayed)")

        let days = Double(max(1, c.span?.days ?? 1))
        let chart = SVGBarChart(
            title: "Alerts per day by action", yTitle: "alerts per day",
            categories: RuleAction.allCases.map(\.rawValue),
            series: [("recorded", c.recorded.alertsByAction.map { Double($0) / days }),
                     ("replayed", c.replayed.alertsByAction.map { Double($0) / days })])
        page.raw(chart.render())

        page.heading("Transitions")
        page.table(c.transitionTable(), caption: "Transactions by recorded action (rows) and replayed action (columns)")
        if !c.addedExamples.isEmpty { page.paragraph("Added alerts, highest scores first: \(c.addedExamples.joined(separator: ", "))", className: "note") }
        if !c.removedExamples.isEmpty { page.paragraph("Removed alerts, highest scores first: \(c.removedExamples.joined(separator: ", "))", className: "note") }

        page.heading("Definitions")
        page.raw("<ul class=\"note\">")
        for line in [
            "Transactions are matched by transaction_id; a log's duplicate records (at-least-once delivery) are dropped first, keeping the last.",
            "Alerts per day = alerts / the UTC calendar days from the first to the last matched event time, both included.",
            "Fraud: a transaction whose last label (by reported_at) says is_fraud = true. Precision = frauds among alerts / alerts; recall = frauds alerted / frauds.",
        ] {
            page.raw("<li>\(HTMLPage.escape(line))</li>")
        }
        page.raw("</ul>")
        return page.render()
    }
}
