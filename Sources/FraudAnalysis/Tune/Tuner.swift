import FraudEngine
import FraudEvaluation

/// `fraudstream tune`: from decisions and labels, threshold tables (alerts per day,
/// precision, recall, fraud amount caught, card precision@k) and the threshold to use for a
/// daily alert budget or a target precision, overall or per segment.
///
/// Flagged means `score >= threshold`. Alerts per day divide by the days the decisions span
/// (``EventDaySpan``), the same for every segment, so that segments add up. Each set of
/// decisions is sorted once (``ThresholdSweep``); tables and the fine grid behind the
/// recommendation and the charts are then binary searches.
public struct Tuner: Sendable {
    /// What to compute.
    public var options: TuningOptions

    /// Creates a tuner.
    public init(options: TuningOptions) { self.options = options }

    /// Tunes.
    ///
    /// - Throws: ``AnalysisError`` for invalid criteria or, when no threshold meets them,
    ///   saying what the data allows instead.
    public func tune(_ log: DecisionLog, labels: FraudLabels) throws(AnalysisError) -> TuningResult {
        try options.criteria.validate()
        guard options.k > 0 else { throw AnalysisError("k of card precision@k must be at least 1, got \(options.k)") }
        guard !log.records.isEmpty else { throw AnalysisError("\(log.source): holds no decision records (empty)") }
        let data = LabelledDecisions(records: log.records, labels: labels)
        let criteria = options.criteria

        var overall = tuning(data, value: nil)
        if !criteria.isEmpty {
            do {
                overall.recommendation = try ThresholdRecommender.recommend(grid: overall.curve, criteria: criteria)
            } catch {
                guard options.dimension != nil else { throw error }
                overall.unmet = error.message
            }
        }
        addRecommendedRow(&overall)

        var segments: [SegmentTuning] = []
        var combined: AlertOutcome?
        if let dimension = options.dimension {
            var members: [String: [Int]] = [:]
            for (index, record) in log.records.enumerated() {
                members[dimension.value(of: record) ?? SegmentDimension.noValue, default: []].append(index)
            }
            let groups = members.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            segments = groups.map { tuning(data.subset($0.value), value: $0.key) }
            if !criteria.isEmpty {
                try recommend(&segments)
                combined = combinedOutcome(data, segments: segments, members: groups.map(\.value))
            }
            for index in segments.indices { addRecommendedRow(&segments[index]) }
        }

        var amountNote: String?
        if data.fraudsWithoutAmount > 0 {
            amountNote = "fraud amount caught is not available: \(data.fraudsWithoutAmount) of \(data.fraudCount) frauds have no amount in the decisions (pass --transactions with the transactions file to join amounts by transaction id)"
        } else if data.fraudCurrencies.count > 1 {
            amountNote = "fraud amounts are in several currencies (\(data.fraudCurrencies.joined(separator: ", "))) and are added without conversion"
        }
        var dimensionNote: String?
        if let dimension = options.dimension, segments.allSatisfy({ $0.value == SegmentDimension.noValue }) {
            dimensionNote = "no decision has a \(dimension.rawValue) (pass --transactions with the transactions file to join it by transaction id)"
        }
        return TuningResult(
            source: log.source, decisions: log.records.count, duplicatesDropped: log.duplicatesDropped,
            labelsRead: labels.labelsRead, frauds: data.fraudCount, span: data.span, options: options,
            overall: overall, segments: segments, combined: combined, amountNote: amountNote, dimensionNote: dimensionNote)
    }

    private func tuning(_ data: LabelledDecisions, value: String?) -> SegmentTuning {
        let sweep = ThresholdSweep(data, k: options.k)
        return SegmentTuning(
            value: value, transactions: data.count, frauds: sweep.frauds,
            rocAUC: ROCAUC.compute(scores: data.scores, labels: data.frauds),
            averagePrecision: AveragePrecision.compute(scores: data.scores, labels: data.frauds),
            rows: sweep.rows(at: options.tableThresholds.sorted()), curve: sweep.rows(at: options.grid))
    }

    private func addRecommendedRow(_ tuning: inout SegmentTuning) {
        guard let row = tuning.recommendation?.row, !tuning.rows.contains(where: { $0.threshold == row.threshold }) else { return }
        tuning.rows.append(row)
        tuning.rows.sort { $0.threshold < $1.threshold }
    }

    private func recommend(_ segments: inout [SegmentTuning]) throws(AnalysisError) {
        let criteria = options.criteria
        let name = options.dimension!.rawValue
        if let budget = criteria.alertsPerDay {
            let days = segments[0].curve[0].outcome.days
            let chosen = try ThresholdRecommender.allocate(
                grids: segments.map(\.curve), budget: budget, targetPrecision: criteria.targetPrecision, days: days)
            for index in segments.indices {
                let (row, next) = chosen[index]
                var reason: String
                if segments[index].frauds == 0 {
                    reason = "no fraud in this \(name): no budget is spent here."
                } else if row.outcome.alerts == 0 {
                    reason = "no alert here: within the budget of \(TuningCriteria.format(budget)) per day, alerts in other segments catch more fraud per alert."
                } else {
                    reason = "this \(name)'s share of the budget of \(TuningCriteria.format(budget)) alerts per day: the budget goes first where an extra alert catches the most fraud."
                }
                if let next, next.outcome.alerts > row.outcome.alerts {
                    let extra = Double(next.outcome.alerts - row.outcome.alerts) / Double(days)
                    let gain = next.outcome.counts.truePositives - row.outcome.counts.truePositives
                    reason += " Lowering it to \(ThresholdRecommender.format(next.threshold)) would add \(ThresholdRecommender.rate(extra)) alerts per day for \(gain) more frauds."
                }
                segments[index].recommendation = ThresholdRecommendation(row: row, reason: reason + " " + ThresholdRecommender.caught(row.outcome))
            }
        } else {
            var failures: [String] = []
            for index in segments.indices {
                do {
                    segments[index].recommendation = try ThresholdRecommender.recommend(grid: segments[index].curve, criteria: criteria)
                } catch {
                    segments[index].unmet = error.message
                    failures.append("\(segments[index].name): \(error.message)")
                }
            }
            if failures.count == segments.count {
                throw AnalysisError("in no \(name): " + failures.joined(separator: "; "))
            }
        }
    }

    /// Every segment's recommended threshold applied to its own decisions (segments without
    /// one flag nothing).
    private func combinedOutcome(_ data: LabelledDecisions, segments: [SegmentTuning], members: [[Int]]) -> AlertOutcome {
        var flagged = Array(repeating: false, count: data.count)
        for (segment, indices) in zip(segments, members) {
            guard let threshold = segment.recommendation?.threshold else { continue }
            for index in indices where data.scores[index] >= threshold { flagged[index] = true }
        }
        var counts = ConfusionCounts()
        var caught: Int64 = 0
        var total: Int64 = 0
        for index in 0..<data.count {
            counts.add(alert: flagged[index], isFraud: data.frauds[index])
            if data.frauds[index] {
                total &+= max(0, data.amountUnits[index])
                if flagged[index] { caught &+= max(0, data.amountUnits[index]) }
            }
        }
        let known = data.fraudsWithoutAmount == 0
        return AlertOutcome(
            counts: counts, days: data.span.days,
            fraudAmountCaught: known ? Money(units: caught) : nil, fraudAmountTotal: known ? Money(units: total) : nil,
            cardPrecisionAtK: FlaggedCardPrecision.compute(
                days: data.days, cards: data.cards, scores: data.scores, frauds: data.frauds, flagged: flagged, k: options.k))
    }
}
