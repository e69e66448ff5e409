import FraudEngine
import FraudRules
import Testing

@testable import FraudAnalysis

@Suite struct DecisionLineDecoderTests {
    let decoder = DecisionLineDecoder()

    @Test func readsADecisionRecord() throws {
        let line = AnalysisTestSupport.recordLine(
            id: "tx-1", card: "card-9", time: AnalysisTestSupport.time(day: 0), score: 0.875, action: .block,
            amount: "220.5", channel: "atm", country: nil)
        let record = try decoder.decode(line)
        #expect(record.transactionID == "tx-1")
        #expect(record.cardID == "card-9")
        #expect(record.eventTime == AnalysisTestSupport.time(day: 0))
        #expect(record.score == 0.875)
        #expect(record.action == .block)
        #expect(record.amount == Money("220.5"))
        #expect(record.currency == "EUR")
        #expect(record.channel == "atm")
        #expect(record.country == nil)
    }

    @Test func readsANullActionAndMissingOptionalFields() throws {
        let line = AnalysisTestSupport.recordLine(id: "tx-2", time: 1_775_001_600_000, score: 0.1, action: nil, amount: nil, channel: nil)
        let record = try decoder.decode(line)
        #expect(record.action == nil)
        #expect(record.amount == nil)
        #expect(record.channel == nil)
    }

    @Test func readsAnEvaluateLine() throws {
        let line = """
            {"transaction_id":"tx-\\u0041\\"x","card_id":"card-7","event_time":"2026-05-01T10:00:00.000Z","score":0.91,\
            "model_probability":0.93,"anomaly":0.4,"alert":true,"reasons":[{"code":"terminal_fraud_rate_28d","contribution":2.1}],\
            "state_version":12345,"is_fraud":true}
            """
        let record = try decoder.decode(line)
        #expect(record.transactionID == "tx-A\"x")
        #expect(record.action == .alert)
        #expect(record.isFraud == true)
        #expect(record.eventTime == (try RFC3339.parse("2026-05-01T10:00:00.000Z")))
        let quiet = try decoder.decode(#"{"transaction_id":"t","card_id":"c","event_time":1775001600000,"score":0,"alert":false}"#)
        #expect(quiet.action == nil)
        #expect(quiet.eventTime == 1_775_001_600_000)
    }

    @Test(arguments: [
        (#"{"card_id":"c","event_time":1,"score":0.5,"action":null}"#, "transaction_id: required field is missing"),
        (#"{"transaction_id":"t","card_id":"c","event_time":1,"score":1.5,"action":null}"#, "score: expected a number in [0, 1]"),
        (#"{"transaction_id":"t","card_id":"c","event_time":1,"score":"high","action":null}"#, "score: expected a number in [0, 1], found '\"'"),
        (#"{"transaction_id":"t","card_id":"c","event_time":1,"score":0.5,"action":"deny"}"#, "action: expected \"alert\", \"review\", \"block\" or null, found \"deny\""),
        (#"{"transaction_id":"t","card_id":"c","event_time":1,"score":0.5}"#, "action: required field is missing"),
        (#"{"transaction_id":"t","card_id":"c","event_time":"yesterday","score":0.5,"action":null}"#, "event_time: not an RFC 3339 date-time"),
        (#"{"transaction_id":"t","transaction_id":"u","card_id":"c","event_time":1,"score":0.5,"action":null}"#, "duplicate field"),
        (#"{"transaction_id":"t","card_id":"c","event_time":1,"score":0.5,"action":null"#, "expected ',' or '}'"),
        (#"{"transaction_id":"t","card_id":"c","event_time":1,"score":0.5,"action":null,"amount":-3}"#, "amount: expected a plain decimal"),
    ])
    func rejectsWithTheField(line: String, expected: String) {
        #expect {
            _ = try decoder.decode(line)
        } throws: { error in
            (error as? AnalysisError)?.message.contains(expected) == true
        }
    }

    @Test func logKeepsTheLastDuplicateAndCountsTheDropped() throws {
        let t = AnalysisTestSupport.time(day: 1)
        let path = try AnalysisTestSupport.write([
            AnalysisTestSupport.recordLine(id: "a", time: t, score: 0.2, action: nil),
            AnalysisTestSupport.recordLine(id: "b", time: t, score: 0.3, action: nil),
            AnalysisTestSupport.recordLine(id: "a", time: t, score: 0.9, action: .alert),
            AnalysisTestSupport.recordLine(id: "a", time: t, score: 0.8, action: .review),
        ])
        let log = try DecisionLog.read(path: path)
        #expect(log.recordsRead == 4)
        #expect(log.duplicatesDropped == 2)
        #expect(log.records.map(\.transactionID) == ["a", "b"])
        #expect(log.records[0].score == 0.8)
        #expect(log.records[0].action == .review)
    }

    @Test func logErrorsNameTheFileAndLine() throws {
        let path = try AnalysisTestSupport.write([
            AnalysisTestSupport.recordLine(id: "a", time: 1_775_001_600_000, score: 0.2, action: nil),
            #"{"transaction_id":"b"}"#,
        ])
        #expect(throws: AnalysisError("\(path):2: card_id: required field is missing")) { try DecisionLog.read(path: path) }
        let empty = try AnalysisTestSupport.write([])
        #expect(throws: AnalysisError("decisions file \(empty): holds no decision records (empty)")) { try DecisionLog.read(path: empty) }
        #expect(throws: AnalysisError("decisions file /nonexistent/d.ndjson: cannot open: No such file or directory")) {
            try DecisionLog.read(path: "/nonexistent/d.ndjson")
        }
    }

    @Test func completesFromTransactions() throws {
        let t = AnalysisTestSupport.time(day: 1)
        let decisions = try AnalysisTestSupport.write([
            AnalysisTestSupport.recordLine(id: "a", time: t, score: 0.2, action: nil, amount: nil, channel: nil, country: nil),
            AnalysisTestSupport.recordLine(id: "b", time: t, score: 0.3, action: nil, amount: "5", channel: "atm", country: "FR"),
        ])
        let transactions = try AnalysisTestSupport.write([
            #"{"transaction_id":"b","card_id":"card-1","merchant_id":"m","amount":99,"currency":"EUR","timestamp":1775001600000,"channel":"ecommerce","country":"BE"}"#,
            #"{"transaction_id":"a","card_id":"card-1","merchant_id":"m","amount":12.34,"currency":"USD","timestamp":1775001600000,"channel":"atm","country":"DE"}"#,
        ])
        var log = try DecisionLog.read(path: decisions)
        #expect(try log.complete(fromTransactionsAt: transactions) == 1)
        #expect(log.records[0].amount == Money("12.34"))
        #expect(log.records[0].currency == "USD")
        #expect(log.records[0].channel == "atm")
        #expect(log.records[0].country == "DE")
        // A record's own fields are kept.
        #expect(log.records[1].amount == Money("5"))
        #expect(log.records[1].channel == "atm")
    }
}
