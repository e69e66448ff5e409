import FraudEngine
import Foundation
@testable import FraudRules

/// Paths and builders shared by the FraudRules tests.
enum TestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FraudRulesTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    static let rulesDirectory = repositoryRoot.appendingPathComponent("rules")
    static let defaultRulesPath = rulesDirectory.appendingPathComponent("default.yaml").path

    static func exampleFiles() -> [String] {
        let directory = rulesDirectory.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fraudrules-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in a fresh directory and returns the file's path.
    static func write(_ text: String, named name: String = "rules.yaml", in directory: URL? = nil) throws -> String {
        let directory = try directory ?? temporaryDirectory()
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The error loading `text` as a file gives, or nil if it loads.
    static func loadError(_ text: String) throws -> (path: String, error: RulesError)? {
        let path = try write(text, named: "bad.yaml")
        do {
            _ = try RuleSet.load(contentsOf: path)
            return nil
        } catch {
            return (path, error)
        }
    }

    static let eur = CurrencyCode("EUR")!

    static func transaction(
        amount: String = "10", currency: String = "EUR", card: String = "card-1", merchant: String = "merchant-1",
        channel: String? = "card_present", country: String? = "BE", mcc: Int? = 5411
    ) -> Transaction {
        Transaction(
            transactionID: "tx-1", cardID: card, merchantID: merchant, amount: Money(amount)!, currency: CurrencyCode(currency)!,
            timestamp: 1_777_000_000_000, mcc: mcc, country: country, channel: channel)
    }

    static func decision(score: Double = 0, probability: Double? = nil, anomaly: Double = 0, reasons: [String] = []) -> Decision {
        Decision(
            transactionID: "tx-1", cardID: "card-1", eventTime: 1_777_000_000_000, score: score,
            modelProbability: probability ?? score, anomaly: anomaly,
            reasons: reasons.map { ReasonCode(code: $0, contribution: 1) }, stateVersion: 0)
    }
}
