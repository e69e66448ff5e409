import FraudAnalysis
import Foundation

/// `replay --compare-with`: the what-if comparison of the recorded decisions with the
/// replay's (the same as `fraudstream compare`).
enum WhatIfReport {
    static func run(recorded: String, replayed: String, labels: String, report: String?, transactions: String?) throws {
        do {
            let comparison = try DecisionComparison.load(
                recorded: recorded, replayed: replayed, labels: labels, transactions: transactions)
            print(comparison.text())
            if let report {
                var inputs = [("recorded", recorded), ("replayed", "this replay"), ("labels", labels)]
                if let transactions { inputs.append(("transactions", transactions)) }
                do {
                    try ComparisonHTMLReport(comparison: comparison, inputs: inputs).html()
                        .write(toFile: report, atomically: true, encoding: .utf8)
                } catch {
                    throw AnalysisError("cannot write the report \(report): \((error as NSError).localizedDescription)")
                }
                print("report written to \(report)")
            }
        } catch let error as AnalysisError {
            throw CommandFailure("replay: what-if: \(error.message)")
        }
    }
}
