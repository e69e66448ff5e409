import Testing

@testable import FraudOperations

@Suite struct PrometheusTextWriterTests {
    @Test func familiesAreGroupedInOrderOfFirstAppearance() throws {
        var page = PrometheusTextWriter()
        #expect(page.isEmpty)
        try page.counter("fraud_events_total", help: "Events scored.", labels: ["topic": "tx"], value: 42)
        try page.gauge("fraud_consumer_lag", help: "Messages behind.", value: 1.5)
        try page.counter("fraud_events_total", help: "Events scored.", labels: ["topic": "labels"], value: 7)
        #expect(!page.isEmpty)
        #expect(
            page.text == """
                # HELP fraud_events_total Events scored.
                # TYPE fraud_events_total counter
                fraud_events_total{topic="tx"} 42
                fraud_events_total{topic="labels"} 7
                # HELP fraud_consumer_lag Messages behind.
                # TYPE fraud_consumer_lag gauge
                fraud_consumer_lag 1.5

                """)
    }

    @Test func emptyPageIsEmptyText() {
        #expect(PrometheusTextWriter().text == "")
    }

    @Test func labelValuesAndHelpAreEscaped() throws {
        var page = PrometheusTextWriter()
        try page.gauge(
            "odd", help: #"A \ help"# + "\nwith \"quotes\" on two lines",
            labels: ["path": #"C:\dir"#, "quote": #"say "hi""#, "nl": "a\nb", "utf8": "café ✓"], value: 1)
        let expected = #"""
            # HELP odd A \\ help\nwith "quotes" on two lines
            # TYPE odd gauge
            odd{path="C:\\dir",quote="say \"hi\"",nl="a\nb",utf8="café ✓"} 1

            """#
        #expect(page.text == expected)
    }

    @Test func emptyHelpOmitsTheHelpLine() throws {
        var page = PrometheusTextWriter()
        try page.counter("up_total", help: "", value: 1)
        #expect(page.text == "# TYPE up_total counter\nup_total 1\n")
    }

    @Test func numbersAreWrittenSoPrometheusParsesThem() {
        let f = PrometheusTextWriter.formatNumber(_:) as (Double) -> String
        #expect(f(0) == "0")
        #expect(f(42) == "42")
        #expect(f(-3) == "-3")
        #expect(f(1.5) == "1.5")
        #expect(f(0.1) == "0.1")
        #expect(f(1e-5) == "1e-05")
        #expect(f(123_456_789.125) == "123456789.125")
        #expect(f(0x1p53) == "9007199254740992")
        #expect(f(0x1p62) == "4611686018427387904")
        #expect(f(0x1p63) == "9.223372036854776e+18")
        #expect(f(-0x1p63) == "-9.223372036854776e+18")
        #expect(f(1e15) == "1000000000000000")
        #expect(f(1e20) == "1e+20")
        #expect(f(.infinity) == "+Inf")
        #expect(f(-.infinity) == "-Inf")
        #expect(f(.nan) == "NaN")
        #expect(f(.leastNonzeroMagnitude) == "5e-324")
        #expect(Double(f(0.1 + 0.2)) == 0.1 + 0.2)
        #expect(PrometheusTextWriter.formatNumber(UInt64.max) == "18446744073709551615")
    }

    @Test func histogramBucketsAreCumulativeAndEndWithInf() throws {
        var latency = PrometheusHistogram(upperBounds: [0.1, 0.5, 1])
        for value in [0.05, 0.1, 0.3, 0.7, 0.9, 3.0] { latency.observe(value) }
        #expect(latency.bucketCounts == [2, 1, 2, 1])
        #expect(latency.count == 6)
        var page = PrometheusTextWriter()
        try page.histogram("score_seconds", help: "Scoring latency.", labels: ["stage": "engine"], latency)
        try page.histogram("score_seconds", help: "Scoring latency.", labels: ["stage": "rules"], PrometheusHistogram(upperBounds: [0.1, 0.5, 1]))
        #expect(
            page.text == """
                # HELP score_seconds Scoring latency.
                # TYPE score_seconds histogram
                score_seconds_bucket{stage="engine",le="0.1"} 2
                score_seconds_bucket{stage="engine",le="0.5"} 3
                score_seconds_bucket{stage="engine",le="1"} 5
                score_seconds_bucket{stage="engine",le="+Inf"} 6
                score_seconds_sum{stage="engine"} 5.05
                score_seconds_count{stage="engine"} 6
                score_seconds_bucket{stage="rules",le="0.1"} 0
                score_seconds_bucket{stage="rules",le="0.5"} 0
                score_seconds_bucket{stage="rules",le="1"} 0
                score_seconds_bucket{stage="rules",le="+Inf"} 0
                score_seconds_sum{stage="rules"} 0
                score_seconds_count{stage="rules"} 0

                """)
    }

    @Test func histogramWithoutLabelsAndFromExternalCounts() throws {
        let external = PrometheusHistogram(upperBounds: [1, 2, .infinity], bucketCounts: [1, 0, 4], sum: 12.5)
        #expect(external.upperBounds == [1, 2])
        var page = PrometheusTextWriter()
        try page.histogram("size", help: "Sizes.", external)
        #expect(
            page.text == """
                # HELP size Sizes.
                # TYPE size histogram
                size_bucket{le="1"} 1
                size_bucket{le="2"} 1
                size_bucket{le="+Inf"} 5
                size_sum 12.5
                size_count 5

                """)
    }

    @Test func histogramObservationOnABoundCountsInThatBucket() {
        var h = PrometheusHistogram(upperBounds: [1, 2])
        h.observe(1)
        h.observe(2)
        h.observe(2.000001)
        h.observe(-10)
        #expect(h.bucketCounts == [2, 1, 1])
        #expect(PrometheusHistogram().upperBounds == PrometheusHistogram.defaultUpperBounds)
    }

    @Test func invalidNamesAreRefused() {
        var page = PrometheusTextWriter()
        #expect(throws: PrometheusTextWriterError.invalidMetricName("1abc")) { try page.counter("1abc", help: "", value: 1) }
        #expect(throws: PrometheusTextWriterError.invalidMetricName("a-b")) { try page.gauge("a-b", help: "", value: 1) }
        #expect(throws: PrometheusTextWriterError.invalidMetricName("")) { try page.gauge("", help: "", value: 1) }
        #expect(throws: PrometheusTextWriterError.invalidMetricName("é")) { try page.gauge("é", help: "", value: 1) }
        #expect(throws: PrometheusTextWriterError.invalidLabelName("a:b", metric: "m")) {
            try page.gauge("m", help: "", labels: ["a:b": "x"], value: 1)
        }
        #expect(throws: PrometheusTextWriterError.invalidLabelName("9", metric: "m")) {
            try page.gauge("m", help: "", labels: ["9": "x"], value: 1)
        }
        #expect(throws: PrometheusTextWriterError.reservedLabelName("__name__", metric: "m")) {
            try page.gauge("m", help: "", labels: ["__name__": "x"], value: 1)
        }
        #expect(throws: PrometheusTextWriterError.reservedLabelName("le", metric: "h")) {
            try page.histogram("h", help: "", labels: ["le": "1"], PrometheusHistogram())
        }
        #expect(throws: PrometheusTextWriterError.duplicateLabelName("a", metric: "m")) {
            try page.gauge("m", help: "", labels: ["a": "x", "a": "y"], value: 1)
        }
        #expect(page.isEmpty)
        // Colons are allowed in metric names (recording rules), `le` on counters and gauges.
        #expect(throws: Never.self) { try page.gauge("job:rate:sum", help: "", labels: ["le": "x", "_a1": "y"], value: 1) }
    }

    @Test func conflictingFamiliesAndDuplicateSeriesAreRefused() throws {
        var page = PrometheusTextWriter()
        try page.counter("events_total", help: "Events.", labels: ["k": "a"], value: 1)
        try page.histogram("latency", help: "Latency.", PrometheusHistogram(upperBounds: [1]))
        let before = page.text
        #expect(throws: PrometheusTextWriterError.self) { try page.gauge("events_total", help: "Events.", value: 1) }
        #expect(throws: PrometheusTextWriterError.self) { try page.counter("events_total", help: "Other.", labels: ["k": "b"], value: 1) }
        #expect(throws: PrometheusTextWriterError.duplicateSeries(metric: "events_total", labels: #"k="a""#)) {
            try page.counter("events_total", help: "Events.", labels: ["k": "a"], value: 2)
        }
        #expect(throws: PrometheusTextWriterError.self) { try page.gauge("latency_count", help: "", value: 1) }
        #expect(page.text == before)
        try page.counter("requests_count", help: "", value: 1)
        let before2 = page.text
        #expect(throws: PrometheusTextWriterError.self) { try page.histogram("requests", help: "", PrometheusHistogram()) }
        #expect(page.text == before2)
        let error = PrometheusTextWriterError.conflictingFamily("x", reason: "already a counter, not a gauge")
        #expect(error.description == "metric family x: already a counter, not a gauge")
    }
}
