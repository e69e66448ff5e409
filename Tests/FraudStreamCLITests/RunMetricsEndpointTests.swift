import FraudOperations
import Foundation
import RdKafka
import Testing

/// `fraudstream run --metrics-port`: the processor's Prometheus page, health and readiness
/// over HTTP while it processes, and a clean exit on SIGINT.
@Suite(.serialized) struct RunMetricsEndpointTests {
    /// A port free a moment ago (the system's choice for port 0).
    static func freePort() throws -> Int {
        let probe = MetricsHTTPServer(host: "127.0.0.1", port: 0, metrics: { "" }, ready: { true })
        try probe.start()
        defer { probe.stop() }
        return probe.boundPort!
    }

    /// GET `path` with bash's /dev/tcp (no HTTP client library needed).
    static func get(_ path: String, port: Int) throws -> String {
        let script = "exec 3<>/dev/tcp/127.0.0.1/\(port) && printf 'GET \(path) HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3"
        return try FraudStreamCLI.runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script], timeout: 30).stdout
    }

    @Test func runServesMetricsHealthAndReadiness() async throws {
        let cluster = try EmbeddedKafkaCluster(
            topics: ["transactions": 2, "labels": 1, "alerts": 1, "decisions": 1, "dead-letter": 1])
        defer { cluster.shutdown() }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = try FraudStreamCLI.binary()
        process.arguments = ["run", "--bootstrap", cluster.bootstrapServers, "--metrics-port", String(port), "--log-level", "warning"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
        for i in 0..<50 {
            let json = #"{"transaction_id":"t\#(i)","card_id":"c\#(i % 5)","merchant_id":"m","amount":12.5,"currency":"EUR","timestamp":\#(1_775_000_000_000 + i * 1000)}"#
            try await producer.send(topic: "transactions", key: Array("c\(i % 5)".utf8), value: Array(json.utf8))
        }
        try await producer.send(topic: "transactions", key: Array("c1".utf8), value: Array("{not json".utf8))
        try await producer.flush()

        var page = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            page = (try? Self.get("/metrics", port: port)) ?? ""
            if page.contains("fraudstream_transactions_scored_total 50") { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(page.hasPrefix("HTTP/1.1 200"), "\(page.prefix(200))")
        #expect(page.contains("text/plain; version=0.0.4"))
        for series in [
            "fraudstream_up 1", "fraudstream_transactions_scored_total 50",
            #"fraudstream_dead_letters_total{reason="malformed_json"} 1"#, "fraudstream_consumer_lag_messages",
            "fraudstream_event_to_decision_seconds_bucket", "fraudstream_score_count 50",
            #"fraudstream_rules_info{version="#,
        ] {
            #expect(page.contains(series), "missing \(series)")
        }
        #expect(try Self.get("/healthz", port: port).hasPrefix("HTTP/1.1 200"))
        #expect(try Self.get("/readyz", port: port).hasPrefix("HTTP/1.1 200"))

        process.interrupt()
        let stopDeadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < stopDeadline { usleep(50_000) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        try await producer.close()
    }
}
