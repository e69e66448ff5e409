import ArgumentParser
import FraudAnalysis
import Foundation

/// `fraudstream compare`: the what-if comparison of recorded decisions with replayed ones.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare recorded decisions with replayed ones: alerts added and removed, metrics before and after.",
        discussion: """
            Matches the two decision logs by transaction id (duplicate records in a log are \
            dropped, keeping the last) and counts, over the transactions in both, the alerts \
            (decisions with an action: review, alert or block) added, removed and changed, by \
            action. With --labels: frauds caught, precision, recall and fraud amount caught \
            before and after. Alerts per day = alerts / the UTC calendar days from the first to \
            the last matched event time, both included. `fraudstream replay --compare-with` \
            prints the same comparison.
            """
    )

    @Option(help: ArgumentHelp("The decisions as recorded (NDJSON decision log).", valueName: "path"))
    var recorded: String

    @Option(help: ArgumentHelp("The decisions of the replay (NDJSON decision log).", valueName: "path"))
    var replayed: String

    @Option(help: ArgumentHelp("Labels (NDJSON), for precision, recall and fraud amount.", valueName: "path"))
    var labels: String?

    @Option(help: ArgumentHelp("Transactions (NDJSON), to complete decisions without amount.", valueName: "path"))
    var transactions: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report here.", valueName: "path"))
    var report: String?

    func run() async throws {
        do {
            let comparison = try DecisionComparison.load(
                recorded: recorded, replayed: replayed, labels: labels, transactions: transactions)
            print(comparison.text())
            if let report {
                var inputs = [("recorded", recorded), ("replayed", replayed)]
                if let labels { inputs.append(("labels", labels)) }
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
            throw CommandFailure("compare: \(error.message)")
        }
    }
}
