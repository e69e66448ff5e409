import FraudEngine
import Testing

@testable import FraudAnalysis

@Suite struct FraudLabelsTests {
    @Test func theLastLabelByReportTimeDecides() {
        let labels = FraudLabels([
            Label(transactionID: "a", isFraud: true, reportedAt: 10),
            Label(transactionID: "b", isFraud: false, reportedAt: 30),  // reported after b's fraud label below
            Label(transactionID: "b", isFraud: true, reportedAt: 20),
            Label(transactionID: "c", isFraud: false, reportedAt: 5),
            Label(transactionID: "c", isFraud: true, reportedAt: 5),  // same time: file order
        ])
        #expect(labels.isFraud("a"))
        #expect(!labels.isFraud("b"))
        #expect(labels.isFraud("c"))
        #expect(!labels.isFraud("unlabelled"))
        #expect(labels.fraudCount == 2)
        #expect(labels.labelsRead == 5)
    }

    @Test func labelsWithoutReportTimeFollowTheirPredecessor() throws {
        let path = try AnalysisTestSupport.write([
            #"{"transaction_id":"a","is_fraud":true,"reported_at":"2026-04-02T00:00:00.000Z"}"#,
            #"{"transaction_id":"a","is_fraud":false}"#,
            #"{"transaction_id":"b","is_fraud":true}"#,
        ])
        let labels = try FraudLabels.read(path: path)
        #expect(!labels.isFraud("a"))
        #expect(labels.isFraud("b"))
    }

    @Test func errorsNameTheFile() throws {
        #expect(throws: AnalysisError("labels file /nonexistent/labels.ndjson: cannot open: No such file or directory")) {
            try FraudLabels.read(path: "/nonexistent/labels.ndjson")
        }
        let path = try AnalysisTestSupport.write([#"{"transaction_id":"a","is_fraud":"yes"}"#])
        #expect {
            try FraudLabels.read(path: path)
        } throws: { error in
            (error as? AnalysisError)?.message.hasPrefix("\(path):1: is_fraud:") == true
        }
    }
}
