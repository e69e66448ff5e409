import FraudAnalysis
import Foundation

/// The what-if comparison of recorded decisions with replayed ones, printed and optionally
/// written as HTML: `fraudstream compare` and `replay --compare-with`.
enum WhatIfReport {
    /// - Parameters:
    ///   - replayedName: how the replayed log is named in the report (a path, or "this replay").
    ///   - command: prefix of the one-line error.
    static func run(
        recorded: String, replayed: String, replayedName: String? = nil, labels: String?, transactions: String?,
        report: String?, command: String
    ) throws {
        do {
            let comparison = try DecisionComparison.load(
                recorded: recorded, replayed: replayed, labels: labels, transactions: transactions)
            print(comparison.text())
            guard let report else { return }
            var inputs = [("recorded", recorded), ("replayed", replayedName ?? replayed)]
            if let labels { inputs.append(("labels", labels)) }
            if let transactions { inputs.append(("transactions", transactions)) }
            do {
                try ComparisonHTMLReport(comparison: comparison, inputs: inputs).html()
                    .write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                throw AnalysisError("cannot write the report \(report): \((error as NSError).localizedDescription)")
            }
            print("report written to \(report)")
        } catch let error as AnalysisError {
            throw CommandFailure("\(command): \(error.message)")
        }
    }
}
