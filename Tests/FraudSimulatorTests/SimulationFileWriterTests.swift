import FraudIO
import FraudEngine
import Foundation
import Testing

@testable import FraudSimulator

func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "fraudsim-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    return path
}

func lines(_ path: String) throws -> [[UInt8]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.split(separator: 0x0A, omittingEmptySubsequences: true).map { Array($0) }
}

@Suite struct SimulationFileWriterTests {
    let configuration = SimulatorConfiguration(customers: 300, terminals: 600, days: 20, seed: 2)

    @Test func sameSeedGivesIdenticalBytesDifferentSeedDiffers() throws {
        let a = temporaryDirectory("a")
        let b = temporaryDirectory("b")
        let c = temporaryDirectory("c")
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        _ = try SimulationFileWriter(directory: a).write(configuration: configuration)
        _ = try SimulationFileWriter(directory: b).write(configuration: configuration)
        var other = configuration
        other.seed = 3
        _ = try SimulationFileWriter(directory: c + "/nested/").write(configuration: other)
        for name in [SimulationFileWriter.FileName.transactions, "labels.ndjson", "truth.ndjson", "compromises.ndjson", "summary.json"] {
            let left = try Data(contentsOf: URL(fileURLWithPath: a + "/" + name))
            let right = try Data(contentsOf: URL(fileURLWithPath: b + "/" + name))
            #expect(!left.isEmpty)
            #expect(left == right, "\(name) is identical for the same seed")
        }
        let first = try Data(contentsOf: URL(fileURLWithPath: a + "/transactions.ndjson"))
        let different = try Data(contentsOf: URL(fileURLWithPath: c + "/nested/transactions.ndjson"))
        #expect(first != different)
    }

    @Test func filesDecodeAreOrderedAndLabelEveryFraudOnce() throws {
        let directory = temporaryDirectory("decode")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try SimulationFileWriter(directory: directory).write(configuration: configuration)

        let transactionDecoder = TransactionDecoder()
        let transactions = try lines(directory + "/transactions.ndjson").map { try transactionDecoder.decode($0) }
        #expect(transactions.count == summary.transactions)
        for (a, b) in zip(transactions, transactions.dropFirst()) {
            #expect(a.timestamp < b.timestamp || (a.timestamp == b.timestamp && a.transactionID < b.transactionID))
        }
        // The decoded file equals the in-memory simulation.
        let simulated = try simulateAll(configuration).days.flatMap(\.transactions)
        #expect(transactions == simulated.map(\.transaction))

        let labelDecoder = LabelDecoder()
        let labels = try lines(directory + "/labels.ndjson").map { try labelDecoder.decode($0) }
        #expect(labels.count == summary.frauds)
        for (a, b) in zip(labels, labels.dropFirst()) {
            #expect(a.reportedAt < b.reportedAt || (a.reportedAt == b.reportedAt && a.transactionID < b.transactionID))
        }
        let byID = Dictionary(uniqueKeysWithValues: transactions.map { ($0.transactionID, $0) })
        let frauds = simulated.filter(\.isFraud)
        #expect(Set(labels.map(\.transactionID)) == Set(frauds.map(\.transaction.transactionID)))
        #expect(Set(labels.map(\.transactionID)).count == labels.count, "one report per fraud")
        for label in labels {
            let transaction = try #require(byID[label.transactionID])
            let delay = label.reportedAt - transaction.timestamp
            #expect(label.isFraud)
            #expect(label.cardID == transaction.cardID)
            #expect(delay >= CivilCalendar.millisPerDay && delay <= 14 * CivilCalendar.millisPerDay)
        }

        let truth = try lines(directory + "/truth.ndjson")
        #expect(truth.count == summary.frauds)
        let summaryText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory + "/summary.json")), as: UTF8.self)
        #expect(summaryText.contains("\"transactions\":\(summary.transactions)"))
        #expect(summaryText.contains("\"compromised_card\":\(summary.frauds(.compromisedCard))"))
        let json = try JSONSerialization.jsonObject(with: Data(summaryText.utf8)) as? [String: Any]
        #expect(json?["frauds"] as? Int == summary.frauds)
        for line in truth + (try lines(directory + "/compromises.ndjson")) {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil)
        }
    }

    @Test func unwritableDirectoryIsReported() throws {
        #expect(throws: FileIOError.self) {
            _ = try SimulationFileWriter(directory: "/proc/fraudsim-not-allowed").write(configuration: configuration)
        }
    }
}
