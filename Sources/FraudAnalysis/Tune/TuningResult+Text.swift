extension TuningResult {
    /// The report printed by `fraudstream tune`: inputs, the table(s) and the
    /// recommendation(s), aligned for a terminal.
    public func text() -> String {
        var lines: [String] = []
        lines.append("threshold tuning of \(source)")
        lines.append("  decisions   \(TextFormat.count(decisions)) (\(TextFormat.count(duplicatesDropped)) duplicate records dropped), \(TextFormat.count(frauds)) frauds (labels read: \(TextFormat.count(labelsRead)))")
        lines.append("  event time  \(span.description); alerts per day = alerts / \(span.days)")
        lines.append("  flagged     score >= threshold; card precision@\(options.k) per day over flagged cards")
        if !options.criteria.isEmpty { lines.append("  criteria    \(options.criteria.description)") }
        for note in [amountNote, dimensionNote].compactMap({ $0 }) { lines.append("  note        \(note)") }
        lines.append("")
        lines.append(contentsOf: section(overall))
        for segment in segments {
            lines.append("")
            lines.append(contentsOf: section(segment, dimension: options.dimension))
        }
        if let combined {
            lines.append("")
            lines.append("per-\(options.dimension!.rawValue) thresholds together: \(TextFormat.decimal(combined.alertsPerDay, 1, trimZeros: false)) alerts per day, precision \(TextFormat.metric(combined.precision)), recall \(TextFormat.metric(combined.recall)), fraud amount caught \(TextFormat.amount(combined.fraudAmountCaught)), card precision@\(options.k) \(TextFormat.metric(combined.cardPrecisionAtK))")
            if let single = overall.recommendation {
                lines.append("one threshold for all (\(TextFormat.decimal(single.threshold, 3))): \(TextFormat.decimal(single.row.outcome.alertsPerDay, 1, trimZeros: false)) alerts per day, precision \(TextFormat.metric(single.row.outcome.precision)), recall \(TextFormat.metric(single.row.outcome.recall))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func section(_ tuning: SegmentTuning, dimension: SegmentDimension? = nil) -> [String] {
        var lines: [String] = []
        let title = dimension.map { "\($0.rawValue) \(tuning.name)" } ?? tuning.name
        lines.append("\(title): \(TextFormat.count(tuning.transactions)) transactions, \(TextFormat.count(tuning.frauds)) frauds; score ROC AUC \(TextFormat.metric(tuning.rocAUC)), average precision \(TextFormat.metric(tuning.averagePrecision))")
        lines.append(Self.table(tuning, k: options.k).render(indent: 2))
        if let recommendation = tuning.recommendation {
            lines.append("  recommended threshold \(TextFormat.decimal(recommendation.threshold, 3)) (marked *): \(recommendation.reason)")
        } else if let unmet = tuning.unmet {
            lines.append("  no recommendation: \(unmet)")
        }
        return lines
    }

    /// The threshold table of one segment as text columns; the recommended row is marked `*`.
    public static func table(_ tuning: SegmentTuning, k: Int) -> TextTable {
        var table = TextTable(headers: [
            "threshold", "alerts", "alerts/day", "frauds caught", "precision", "recall", "fraud amount caught", "amount %", "card P@\(k)",
        ])
        for row in tuning.rows {
            let o = row.outcome
            let marker = row.threshold == tuning.recommendation?.threshold ? " *" : ""
            table.append([
                TextFormat.decimal(row.threshold, 3, trimZeros: false) + marker,
                TextFormat.count(o.alerts),
                TextFormat.decimal(o.alertsPerDay, 1, trimZeros: false),
                TextFormat.count(o.counts.truePositives),
                TextFormat.metric(o.precision),
                TextFormat.metric(o.recall),
                TextFormat.amount(o.fraudAmountCaught),
                o.amountRecall.map { TextFormat.decimal($0 * 100, 1, trimZeros: false) } ?? "n/a",
                TextFormat.metric(o.cardPrecisionAtK),
            ])
        }
        return table
    }
}
