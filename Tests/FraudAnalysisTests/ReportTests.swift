import FraudEngine
import FraudRules
import Testing

@testable import FraudAnalysis

@Suite struct ReportTests {
    /// Nothing the page would fetch: no script, stylesheet link, image source, CSS url() or
    /// import; the only URL is the SVG namespace.
    func expectSelfContained(_ html: String) {
        for forbidden in ["<script", "<link", "src=", "url(", "@import", "<img", "<iframe"] {
            #expect(!html.contains(forbidden), "contains \(forbidden)")
        }
        let urls = html.components(separatedBy: "http").dropFirst()
        for url in urls { #expect(url.hasPrefix("://www.w3.org/2000/svg\""), "external reference http\(url.prefix(40))") }
    }

    @Test func tuningReportIsSelfContainedAndComplete() throws {
        let (records, frauds) = AnalysisTestSupport.randomRecords(seed: 5, count: 300)
        let options = TuningOptions(criteria: TuningCriteria(alertsPerDay: 20), dimension: .channel)
        let result = try Tuner(options: options).tune(DecisionLog(records: records), labels: AnalysisTestSupport.labels(frauds))
        let html = TuningHTMLReport(result: result, inputs: [("decisions", "d <1>.ndjson")]).html()
        expectSelfContained(html)
        #expect(html.contains("<title>FraudStream threshold tuning</title>"))
        #expect(html.contains("d &lt;1&gt;.ndjson"))
        #expect(html.contains(result.span.description))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("Precision–recall curve") && html.contains("Alerts per day against the threshold"))
        #expect(html.contains("budget 20 / day"))
        for segment in result.segments {
            let threshold = try #require(segment.recommendation?.threshold)
            #expect(html.contains(TextFormat.decimal(threshold, 3)))
        }
    }

    @Test func comparisonReportIsSelfContained() {
        let (records, frauds) = AnalysisTestSupport.randomRecords(seed: 6, count: 100)
        let replayed = records.map { record -> AnalysedDecision in
            var copy = record
            copy.action = record.score >= 0.7 ? .alert : nil
            return copy
        }
        let c = DecisionComparison(recorded: DecisionLog(records: records), replayed: DecisionLog(records: replayed), labels: AnalysisTestSupport.labels(frauds))
        let html = ComparisonHTMLReport(comparison: c, inputs: []).html()
        expectSelfContained(html)
        #expect(html.contains("\(TextFormat.count(c.added)) alerts added"))
        #expect(html.contains("<svg"))
    }

    @Test func textTableAlignsColumns() {
        var table = TextTable(headers: ["name", "value"])
        table.append(["a", "1"])
        table.append(["longer", "12,345"])
        #expect(table.render() == """
            name     value
            ------  ------
            a            1
            longer  12,345
            """)
    }

    @Test func numberFormats() {
        #expect(TextFormat.decimal(0.6015, 3) == "0.602")
        #expect(TextFormat.decimal(2, 1, trimZeros: false) == "2.0")
        #expect(TextFormat.amount(Money("1234567.891")) == "1,234,567.89")
        #expect(TextFormat.amount(nil) == "n/a")
        #expect(TextFormat.count(1_800_000) == "1,800,000")
    }
}
