import Testing
@testable import FraudEngine

@Suite struct LabelDecoderTests {
    typealias F = CodecFixtures
    let decoder = LabelDecoder()
    let kafkaTimestamp: EpochMillis = 1_776_000_000_000

    @Test func decodesEveryField() throws {
        let label = try decoder.decode(#"{"transaction_id":"tx-1","is_fraud":true,"card_id":"card-9","reported_at":"2026-04-20T09:00:00Z"}"#)
        #expect(label == Label(transactionID: "tx-1", isFraud: true, cardID: "card-9", reportedAt: 1_776_675_600_000))
    }

    @Test func acceptsEpochMillisAndFalse() throws {
        let label = try decoder.decode(#"{"is_fraud":false,"reported_at":1776675600000,"transaction_id":"tx-2"}"#)
        #expect(label == Label(transactionID: "tx-2", isFraud: false, reportedAt: 1_776_675_600_000))
    }

    @Test func reportedAtFallsBackToTheMessageTimestamp() throws {
        let absent = try decoder.decode(#"{"transaction_id":"tx-1","is_fraud":true}"#, defaultReportedAt: kafkaTimestamp)
        #expect(absent.reportedAt == kafkaTimestamp)
        let null = try decoder.decode(#"{"transaction_id":"tx-1","is_fraud":true,"reported_at":null,"card_id":null}"#, defaultReportedAt: kafkaTimestamp)
        #expect(null.reportedAt == kafkaTimestamp)
        #expect(null.cardID == nil)
        let present = try decoder.decode(#"{"transaction_id":"tx-1","is_fraud":true,"reported_at":1776675600000}"#, defaultReportedAt: kafkaTimestamp)
        #expect(present.reportedAt == 1_776_675_600_000)
    }

    @Test func missingReportedAtWithoutFallback() throws {
        let json = #"{"transaction_id":"tx-1","is_fraud":true}"#
        let error = try #require(F.labelError(json))
        #expect(error.kind == .missingField)
        #expect(error.field == "reported_at")
        #expect(error.byteOffset == json.utf8.count - 1)
    }

    @Test(arguments: ["transaction_id", "is_fraud"])
    func missingRequiredField(name: String) throws {
        let members = [("transaction_id", #""tx-1""#), ("is_fraud", "true")].filter { $0.0 != name }
        let json = "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        let error = try #require(F.labelError(json, defaultReportedAt: kafkaTimestamp))
        #expect(error.kind == .missingField)
        #expect(error.field == name)
    }

    @Test(arguments: [(#""true""#, "a string"), ("1", "a number"), ("null", "null")])
    func isFraudMustBeABoolean(value: String, found: String) throws {
        let json = #"{"transaction_id":"tx-1","is_fraud":"# + value + "}"
        let error = try #require(F.labelError(json, defaultReportedAt: kafkaTimestamp))
        #expect(error.kind == .wrongType)
        #expect(error.field == "is_fraud")
        #expect(error.detail == "expected a boolean, found \(found)")
        #expect(error.byteOffset == F.offset(of: "\"is_fraud\":", in: json) + 11)
    }

    @Test func reportedAtOutOfRange() throws {
        let error = try #require(F.labelError(#"{"transaction_id":"tx-1","is_fraud":true,"reported_at":"1999-01-01T00:00:00Z"}"#))
        #expect(error.kind == .invalidValue && error.field == "reported_at")
    }

    @Test func unknownFieldsAndDuplicates() throws {
        let label = try decoder.decode(#"{"transaction_id":"tx-1","source":{"feed":["chargeback"]},"is_fraud":true}"#, defaultReportedAt: 1)
        #expect(label.transactionID == "tx-1")
        let error = try #require(F.labelError(#"{"transaction_id":"tx-1","is_fraud":true,"is_fraud":false}"#, defaultReportedAt: 1))
        #expect(error.kind == .duplicateField && error.field == "is_fraud")
    }

    @Test func trailingDataAndMalformed() throws {
        #expect(F.labelError(#"{"transaction_id":"tx-1","is_fraud":true} {}"#, defaultReportedAt: 1)?.kind == .trailingData)
        #expect(F.labelError(#"{"transaction_id":"tx-1","is_fraud":tru"#, defaultReportedAt: 1)?.kind == .malformedJSON)
        #expect(F.labelError(#"{"transaction_id":"tx-1","#, defaultReportedAt: 1)?.kind == .malformedJSON)
    }
}
