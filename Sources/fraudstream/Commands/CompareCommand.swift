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
        try WhatIfReport.run(
            recorded: recorded, replayed: replayed, labels: labels, transactions: transactions, report: report,
            command: "compare")
    }
}
