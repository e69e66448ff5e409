import Testing

@testable import FraudOperations

@Suite struct PrometheusTextWriterTests {
    @Test func familiesAreGroupedInOrderOfFirstAppearance() throws {
        var page = PrometheusTextWriter()
        try page.counter("fraud_events_total", help: "Events scored.", labels: ["topic": "tx"], value: 42)
        try page.gauge("fraud_consumer_lag", help: "Messages behind.", value: 1.5)
        try page.counter("fraud_events_total", help: "Events scored.", labels: ["topic": "labels"], value: 7)
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
}
