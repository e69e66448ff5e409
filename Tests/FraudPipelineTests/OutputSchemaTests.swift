import FraudEngine
import FraudPipeline
import FraudRules
import FraudSchema
import Foundation
import Testing

/// What the processor writes is what `schemas/` promises: alerts and decision records from the
/// real encoders validate against `alert.schema.json` and `decision.schema.json`.
@Suite struct OutputSchemaTests {
    static let schemas = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas")

    static func decision(score: Double, reasons: [ReasonCode]) -> Decision {
        Decision(
            transactionID: "tx-\"quoted\"-é-0001", cardID: "card-7", eventTime: 1_777_000_000_123, score: score,
            modelProbability: score, anomaly: 0.25, reasons: reasons, stateVersion: 41)
    }

    static func validate(_ bytes: [UInt8], against name: String) throws -> [SchemaViolation] {
        let schema = try JSONSchema(contentsOf: schemas.appendingPathComponent("\(name).schema.json"))
        return schema.validate(try JSONValue.parse(bytes))
    }

    static let transaction = Transaction(
        transactionID: "tx-\"quoted\"-é-0001", cardID: "card-7", merchantID: "m-1", amount: Money(whole: 250),
        currency: CurrencyCode("EUR")!, timestamp: 1_777_000_000_123)

    @Test(arguments: [0.99, 0.75, 0.55, 0.01])
    func alertsAndDecisionRecordsMatchTheirSchemas(score: Double) throws {
        let rules = try RuleSet(
            yaml: """
                version: "contract-1"
                thresholds: {review: 0.5, alert: 0.7, block: 0.95}
                rules:
                  - {id: big, action: review, when: {amount: {min: 200}}}
                """)
        let decision = Self.decision(
            score: score,
            reasons: [ReasonCode(code: "amount_vs_card_mean_30d", contribution: 1.5), ReasonCode(code: "hst_anomaly", contribution: 0.2)])
        let outcome = rules.evaluate(transaction: Self.transaction, decision: decision)
        let modelVersion = ModelVersion(configuration: .default)

        var record: [UInt8] = []
        DecisionRecordEncoder().encode(
            decision: decision, transaction: Self.transaction, verdict: outcome, modelVersion: modelVersion,
            run: "r20261125T001302Z-0a1b2c3d", source: InputPosition(topic: "transactions", partition: 5, offset: 1234),
            labelsBefore: [InputPosition(topic: "labels", partition: 1, offset: 77)], processedAt: 1_777_000_001_000,
            into: &record)
        let recordViolations = try Self.validate(record, against: "decision")
        #expect(recordViolations.isEmpty, "\(recordViolations) in \(String(decoding: record, as: UTF8.self))")

        let action = try #require(outcome.action, "the amount rule always acts")
        var alert: [UInt8] = []
        AlertEncoder().encode(
            decision: decision, action: action, verdict: outcome, modelVersion: modelVersion,
            processedAt: 1_777_000_001_000, into: &alert)
        let alertViolations = try Self.validate(alert, against: "alert")
        #expect(alertViolations.isEmpty, "\(alertViolations) in \(String(decoding: alert, as: UTF8.self))")

        // The decision record names the same alert id as the alert itself.
        let alertJSON = try #require(try JSONSerialization.jsonObject(with: Data(alert)) as? [String: Any])
        let recordJSON = try #require(try JSONSerialization.jsonObject(with: Data(record)) as? [String: Any])
        #expect(alertJSON["alert_id"] as? String == recordJSON["alert_id"] as? String)
        #expect(alertJSON["transaction_id"] as? String == "tx-\"quoted\"-é-0001")
    }
}
