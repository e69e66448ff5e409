#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `fraudstream tune --report` page: inputs and date range, the recommendation and
/// why, the precision–recall curve and alerts per day against the threshold (inline SVG),
/// the threshold tables, and the definitions used. Self-contained (see ``HTMLPage``).
public struct TuningHTMLReport: Sendable {
    /// What was tuned.
    public var result: TuningResult
    /// The inputs as (name, value) pairs, e.g. ("labels", "data/labels.ndjson").
    public var inputs: [(String, String)]
    /// Charts draw at most this many segments (the largest) besides all decisions.
    public var maxChartSegments = 6

    /// Creates a report.
    public init(result: TuningResult, inputs: [(String, String)]) {
        self.result = result
        self.inputs = inputs
    }

    /// The page.
    public func html() -> String {
        let r = result
        var page = HTMLPage(title: "FraudStream threshold tuning")
        page.paragraph("What alerting on \"score ≥ threshold\" would have given on \(r.span.description), against the fraud labels.", className: "note")
        page.heading("Inputs")
        var facts = inputs
        facts += [
            ("period (event time)", r.span.description),
            ("decisions", "\(TextFormat.count(r.decisions)) transactions (\(TextFormat.count(r.duplicatesDropped)) duplicate records dropped)"),
            ("frauds", "\(TextFormat.count(r.frauds)) (labels read: \(TextFormat.count(r.labelsRead)))"),
            ("score quality", "ROC AUC \(TextFormat.metric(r.overall.rocAUC)), average precision \(TextFormat.metric(r.overall.averagePrecision)) (all thresholds)"),
            ("criteria", r.options.criteria.isEmpty ? "none (tables only)" : r.options.criteria.description),
        ]
        if let dimension = r.options.dimension { facts.append(("segments", "by \(dimension.rawValue): \(r.segments.count)")) }
        page.facts(facts)
        for note in [r.amountNote, r.dimensionNote].compactMap({ $0 }) { page.paragraph(note, className: "warning") }

        page.heading("Recommendation")
        recommendation(&page)

        page.heading("Charts")
        page.raw("<div class=\"charts\">")
        page.raw(precisionRecallChart().render())
        page.raw(alertsPerDayChart().render())
        page.raw("</div>")

        page.heading("Threshold table")
        table(&page, r.overall, caption: "All decisions")
        for segment in r.segments {
            table(&page, segment, caption: "\(r.options.dimension!.rawValue) \(segment.name): \(TextFormat.count(segment.transactions)) transactions, \(TextFormat.count(segment.frauds)) frauds, ROC AUC \(TextFormat.metric(segment.rocAUC)), average precision \(TextFormat.metric(segment.averagePrecision))")
            if let recommendation = segment.recommendation {
                page.paragraph("Recommended \(TextFormat.decimal(recommendation.threshold, 3)): \(recommendation.reason)", className: "note")
            } else if let unmet = segment.unmet {
                page.paragraph("No recommendation: \(unmet)", className: "note")
            }
        }

        page.heading("Definitions")
        page.raw("<ul class=\"note\">")
        for line in [
            "Flagged: a transaction whose score is at or above the threshold. Precision = frauds flagged / flagged; recall = frauds flagged / all frauds.",
            "Alerts per day = flagged transactions / \(r.span.days), the UTC calendar days from the first to the last event time, both included (the same for every segment, so segments add up).",
            "Fraud: a transaction whose last label (by reported_at, file order among equal times) says is_fraud = true; a transaction without a label is legitimate.",
            "Fraud amount caught: the sum of the amounts of the frauds flagged (amount % = its share of all fraud amount).",
            "Card precision@\(r.options.k): each day, the \(r.options.k) flagged cards with the highest score that day; the share of them with a fraud that day (divided by \(r.options.k) even when fewer are flagged); the mean over the days with transactions.",
            "Recommendations search thresholds in steps of \(TextFormat.decimal(1 / Double(r.options.gridSteps), 6)); scores are the engine's, so thresholds apply unchanged to the live processor's rules.",
        ] {
            page.raw("<li>\(HTMLPage.escape(line))</li>")
        }
        page.raw("</ul>")
        return page.render()
    }

    private func recommendation(_ page: inout HTMLPage) {
        let r = result
        if r.options.criteria.isEmpty {
            page.paragraph("No criterion was given (--alerts-per-day or --target-precision): tables and charts only.", className: "note")
            return
        }
        if r.segments.isEmpty {
            if let rec = r.overall.recommendation {
                page.paragraph("Use threshold \(TextFormat.decimal(rec.threshold, 3)): \(rec.reason)", className: "recommendation")
            }
            return
        }
        let dimension = r.options.dimension!.rawValue
        var table = TextTable(headers: [dimension, "threshold", "alerts/day", "precision", "recall", "fraud amount caught"])
        for segment in r.segments {
            if let rec = segment.recommendation {
                let o = rec.row.outcome
                table.append([segment.name, TextFormat.decimal(rec.threshold, 3), TextFormat.decimal(o.alertsPerDay, 1, trimZeros: false),
                              TextFormat.metric(o.precision), TextFormat.metric(o.recall), TextFormat.amount(o.fraudAmountCaught)])
            } else {
                table.append([segment.name, "none", "", "", "", ""])
            }
        }
        if let combined = r.combined {
            table.append(["together", "", TextFormat.decimal(combined.alertsPerDay, 1, trimZeros: false), TextFormat.metric(combined.precision),
                          TextFormat.metric(combined.recall), TextFormat.amount(combined.fraudAmountCaught)])
        }
        if let single = r.overall.recommendation {
            let o = single.row.outcome
            table.append(["one threshold for all", TextFormat.decimal(single.threshold, 3), TextFormat.decimal(o.alertsPerDay, 1, trimZeros: false),
                          TextFormat.metric(o.precision), TextFormat.metric(o.recall), TextFormat.amount(o.fraudAmountCaught)])
        }
        page.paragraph("A threshold per \(dimension) for \(r.options.criteria.description). Each \(dimension)'s reason is under its table below.", className: "recommendation")
        page.table(table, highlighted: r.combined == nil ? [] : [r.segments.count], caption: "Recommended thresholds per \(dimension)")
    }

    private func table(_ page: inout HTMLPage, _ tuning: SegmentTuning, caption: String) {
        let text = TuningResult.table(tuning, k: result.options.k)
        let chosen = tuning.rows.firstIndex { $0.threshold == tuning.recommendation?.threshold }
        page.table(text, highlighted: chosen.map { [$0] } ?? [], caption: caption)
    }

    private var charted: [SegmentTuning] { [result.overall] + result.segments.prefix(maxChartSegments) }

    /// A series' legend: its name and, with several series, its recommended threshold (the
    /// markers then go without labels, which would overlap).
    private func legend(_ tuning: SegmentTuning) -> String {
        guard charted.count > 1, let rec = tuning.recommendation else { return tuning.name }
        return "\(tuning.name) (≥ \(TextFormat.decimal(rec.threshold, 3)))"
    }

    /// Precision against recall, one point per grid threshold.
    func precisionRecallChart() -> SVGLineChart {
        var chart = SVGLineChart(title: "Precision–recall curve", xTitle: "recall (share of frauds flagged)", yTitle: "precision (share of flagged that are frauds)", xRange: 0...1, yRange: 0...1)
        for (index, tuning) in charted.enumerated() {
            let points = tuning.curve.compactMap { row -> (x: Double, y: Double)? in
                guard let p = row.outcome.precision, let r = row.outcome.recall else { return nil }
                return (r, p)
            }
            chart.series.append(.init(name: legend(tuning), points: points))
            if let rec = tuning.recommendation, let p = rec.row.outcome.precision, let r = rec.row.outcome.recall {
                let label = charted.count > 1 ? "" : "≥ \(TextFormat.decimal(rec.threshold, 3))"
                chart.markers.append(.init(x: r, y: p, label: label, series: index))
            }
        }
        if let target = result.options.criteria.targetPrecision {
            chart.horizontalLines.append((target, "target precision \(TextFormat.decimal(target, 3))"))
        }
        return chart
    }

    /// Alerts per day (logarithmic) against the threshold.
    func alertsPerDayChart() -> SVGLineChart {
        let rates = charted.flatMap { $0.curve.map(\.outcome.alertsPerDay) }.filter { $0 > 0 }
        let low = max(rates.min() ?? 0.1, 1e-3)
        let high = max(rates.max() ?? 1, result.options.criteria.alertsPerDay ?? 0, low * 10)
        let range = pow(10, floor(log10(low)))...pow(10, ceil(log10(high)))
        var chart = SVGLineChart(title: "Alerts per day against the threshold", xTitle: "threshold (flag when score ≥ threshold)", yTitle: "alerts per day (log scale)", xRange: 0...1, yRange: range, logarithmicY: true)
        for (index, tuning) in charted.enumerated() {
            chart.series.append(.init(name: legend(tuning), points: tuning.curve.map { ($0.threshold, $0.outcome.alertsPerDay) }))
            if let rec = tuning.recommendation, rec.row.outcome.alertsPerDay > 0 {
                let label = charted.count > 1 ? "" : "≥ \(TextFormat.decimal(rec.threshold, 3)): \(TextFormat.decimal(rec.row.outcome.alertsPerDay, 1)) / day"
                chart.markers.append(.init(x: rec.threshold, y: rec.row.outcome.alertsPerDay, label: label, series: index))
            }
        }
        if let budget = result.options.criteria.alertsPerDay {
            chart.horizontalLines.append((budget, "budget \(TuningCriteria.format(budget)) / day"))
        }
        return chart
    }
}
