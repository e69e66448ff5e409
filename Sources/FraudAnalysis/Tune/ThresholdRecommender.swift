/// Chooses thresholds from the rows of a fine grid of thresholds.
enum ThresholdRecommender {
    /// The lowest threshold of `grid` (ascending thresholds) that satisfies `criteria`.
    ///
    /// - Throws: ``AnalysisError`` saying what the data allows instead when none does.
    static func recommend(grid: [ThresholdRow], criteria: TuningCriteria) throws(AnalysisError) -> ThresholdRecommendation {
        guard let index = grid.firstIndex(where: { criteria.accepts($0.outcome) }) else {
            throw unmet(grid: grid, criteria: criteria)
        }
        let row = grid[index]
        var reason = "the lowest threshold with \(criteria.description)"
        let here = describe(row.outcome, criteria)
        if index > 0 {
            let below = grid[index - 1]
            reason += " (\(here)); at \(format(below.threshold)) it would be \(describe(below.outcome, criteria))"
        } else {
            reason += " (\(here)), even when every transaction is flagged"
        }
        return ThresholdRecommendation(row: row, reason: reason + ". " + caught(row.outcome))
    }

    /// Why no threshold satisfies the criteria.
    static func unmet(grid: [ThresholdRow], criteria: TuningCriteria) -> AnalysisError {
        let budgetOK = grid.filter { criteria.alertsPerDay == nil || $0.outcome.alertsPerDay <= criteria.alertsPerDay! }
        if let budget = criteria.alertsPerDay, budgetOK.isEmpty {
            let top = grid.last!
            return AnalysisError(
                "no threshold keeps alerts within \(TuningCriteria.format(budget)) per day: even at threshold \(format(top.threshold)) there are \(rate(top.outcome.alertsPerDay)) per day")
        }
        let target = criteria.targetPrecision ?? 1
        let best = budgetOK.filter { $0.outcome.precision != nil }.max {
            $0.outcome.precision! != $1.outcome.precision! ? $0.outcome.precision! < $1.outcome.precision! : $0.threshold > $1.threshold
        }
        let within = criteria.alertsPerDay.map { " within \(TuningCriteria.format($0)) alerts per day" } ?? ""
        guard let best else {
            return AnalysisError("target precision \(TuningCriteria.format(target)) is never reached: no threshold flags anything\(within)")
        }
        return AnalysisError(
            "target precision \(TuningCriteria.format(target)) is never reached\(within): the best is \(format(best.outcome.precision!)) at threshold \(format(best.threshold)) (\(best.outcome.alerts) alerts, \(best.outcome.counts.truePositives) frauds)")
    }

    /// Splits a daily alert budget between segments: the thresholds that catch about the most
    /// frauds with at most `budget` alerts per day in total.
    ///
    /// Each segment starts at the highest grid threshold. Its precision–recall trade-off,
    /// reduced to its upper convex hull of (alerts, frauds caught) points, is cut into steps
    /// of decreasing frauds per extra alert; steps of all segments are taken in that order
    /// while they fit the budget (a segment whose next step does not fit stops there); budget
    /// left over then moves each segment to the lowest grid threshold that still fits. With
    /// a target precision, only thresholds reaching it are candidates.
    ///
    /// - Parameter grids: per segment, rows at ascending thresholds (the same grid).
    /// - Returns: per segment, its row and the next step it was denied (nil when none), or
    ///   nil for a segment with no candidate.
    static func allocate(
        grids: [[ThresholdRow]], budget: Double, targetPrecision: Double?, days: Int
    ) throws(AnalysisError) -> [(row: ThresholdRow, next: ThresholdRow?)] {
        let capacity = budget * Double(days)
        struct Step { var segment: Int; var vertex: Int; var slope: Double; var cost: Int }
        var candidates: [[ThresholdRow]] = []
        var hulls: [[Int]] = []  // indices into candidates
        var steps: [Step] = []
        for (segment, grid) in grids.enumerated() {
            // Descending thresholds: alerts grow. The highest threshold is the mandatory start.
            let descending = Array(grid.reversed())
            var list = [descending[0]]
            for row in descending.dropFirst() {
                if let target = targetPrecision, (row.outcome.precision ?? 0) < target { continue }
                if row.outcome.alerts == list.last!.outcome.alerts {
                    list[list.count - 1] = row  // the same alerts: keep the lower threshold
                } else {
                    list.append(row)
                }
            }
            candidates.append(list)
            var hull: [Int] = [0]
            func point(_ i: Int) -> (Double, Double) { (Double(list[i].outcome.alerts), Double(list[i].outcome.counts.truePositives)) }
            for i in 1..<list.count {
                let p = point(i)
                while hull.count >= 2 {
                    let a = point(hull[hull.count - 2])
                    let b = point(hull[hull.count - 1])
                    // Drop b when it lies on or below the line from a to p.
                    if (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0) >= 0 { hull.removeLast() } else { break }
                }
                hull.append(i)
            }
            hulls.append(hull)
            for v in 0..<(hull.count - 1) {
                let a = list[hull[v]].outcome
                let b = list[hull[v + 1]].outcome
                let gain = b.counts.truePositives - a.counts.truePositives
                guard gain > 0 else { break }
                steps.append(Step(segment: segment, vertex: v, slope: Double(gain) / Double(b.alerts - a.alerts), cost: b.alerts - a.alerts))
            }
        }
        var used = Double(candidates.reduce(0) { $0 + $1[0].outcome.alerts })
        if used > capacity {
            throw AnalysisError(
                "no thresholds keep alerts within \(TuningCriteria.format(budget)) per day: at threshold \(format(grids[0].last!.threshold)) the segments already give \(rate(used / Double(days))) per day")
        }
        steps.sort { $0.slope != $1.slope ? $0.slope > $1.slope : ($0.segment != $1.segment ? $0.segment < $1.segment : $0.vertex < $1.vertex) }
        var position = Array(repeating: 0, count: grids.count)  // index into candidates
        var closed = Array(repeating: false, count: grids.count)
        var denied: [Int?] = Array(repeating: nil, count: grids.count)  // hull vertex refused
        for step in steps where !closed[step.segment] {
            if used + Double(step.cost) <= capacity {
                used += Double(step.cost)
                position[step.segment] = hulls[step.segment][step.vertex + 1]
            } else {
                closed[step.segment] = true
                denied[step.segment] = hulls[step.segment][step.vertex + 1]
            }
        }
        // Left-over budget: segments in the order of their refused steps, each to the lowest
        // candidate threshold that still fits.
        let order = steps.filter { denied[$0.segment] == hulls[$0.segment][$0.vertex + 1] }.map(\.segment)
        for segment in order {
            let list = candidates[segment]
            let current = list[position[segment]].outcome
            var best = position[segment]
            for i in (position[segment] + 1)..<list.count {
                let cost = Double(list[i].outcome.alerts - current.alerts)
                guard used + cost <= capacity else { break }
                if list[i].outcome.counts.truePositives > list[best].outcome.counts.truePositives { best = i }
            }
            used += Double(list[best].outcome.alerts - current.alerts)
            position[segment] = best
        }
        return (0..<grids.count).map { segment in
            let list = candidates[segment]
            let next = denied[segment].flatMap { $0 > position[segment] ? list[$0] : nil }
                ?? hulls[segment].first { $0 > position[segment] }.map { list[$0] }
            return (list[position[segment]], next)
        }
    }

    static func describe(_ outcome: AlertOutcome, _ criteria: TuningCriteria) -> String {
        var parts: [String] = []
        if criteria.alertsPerDay != nil || criteria.targetPrecision == nil { parts.append("\(rate(outcome.alertsPerDay)) alerts per day") }
        if criteria.targetPrecision != nil { parts.append("precision \(outcome.precision.map { TextFormat.decimal($0, 4) } ?? "n/a")") }
        return parts.joined(separator: ", ")
    }

    static func caught(_ outcome: AlertOutcome) -> String {
        var text = "It flags \(rate(outcome.alertsPerDay)) transactions per day and catches \(outcome.counts.truePositives) of \(outcome.counts.positives) frauds"
        if let recall = outcome.recall { text += " (recall \(format(recall)))" }
        if let precision = outcome.precision { text += " with precision \(format(precision))" }
        if let share = outcome.amountRecall { text += ", \(percent(share)) of the fraud amount" }
        return text + "."
    }

    /// Thresholds and rates with up to 3 decimals (`0.642`, `0.5`).
    static func format(_ value: Double) -> String { TextFormat.decimal(value, 3) }
    /// Alerts per day with 1 decimal.
    static func rate(_ value: Double) -> String { TextFormat.decimal(value, 1, trimZeros: false) }
    static func percent(_ value: Double) -> String { TextFormat.decimal(value * 100, 1, trimZeros: false) + "%" }
}
