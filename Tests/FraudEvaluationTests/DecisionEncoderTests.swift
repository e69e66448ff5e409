import FraudEngine
import Foundation
import Testing

@testable import FraudEvaluation

@Suite struct DecisionEncoderTests {
    @Test func writesTheDocumentedFields() throws {
        let decision = Decision(
            transactionID: "tx-\"1\"", cardID: "card-7", eventTime: 1_775_001_600_123, score: 0.75,
            modelProbability: 0.8, anomaly: 0.25,
            reasons: [ReasonCode(code: "amount_vs_card_mean_30d", contribution: 1.5), ReasonCode(code: "night", contribution: -0.5)],
            stateVersion: 42)
        let text = DecisionEncoder().encodeString(decision, alert: true, isFraud: false)
        #expect(text == #"{"transaction_id":"tx-\"1\"","card_id":"card-7","event_time":"2026-04-01T00:00:00.123Z","score":0.75,"model_probability":0.8,"anomaly":0.25,"alert":true,"reasons":[{"code":"amount_vs_card_mean_30d","contribution":1.5},{"code":"night","contribution":-0.5}],"state_version":42,"is_fraud":false}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["transaction_id"] as? String == "tx-\"1\"")
        var nan = decision
        nan.score = .nan
        #expect(DecisionEncoder().encodeString(nan, alert: false).contains(#""score":null"#))
    }
}
