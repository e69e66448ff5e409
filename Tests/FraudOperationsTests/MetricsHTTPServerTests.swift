import Foundation
import Logging
import Testing

@testable import FraudOperations

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct MetricsHTTPServerTests {
    typealias Client = TestHTTPClient

    static let page: String = {
        var page = PrometheusTextWriter()
        try! page.counter("fraud_events_total", help: "Events.", labels: ["topic": "tx"], value: 3)
        try! page.gauge("fraud_ready", help: "Ready.", value: 1)
        return page.text
    }()

    private static func logger() -> Logger {
        var logger = Logger(label: "test.metrics-http")
        logger.logLevel = .warning
        return logger
    }

    /// A started server on 127.0.0.1 and an ephemeral port.
    private static func startServer(
        metrics: @escaping @Sendable () -> String = { MetricsHTTPServerTests.page },
        ready: @escaping @Sendable () -> Bool = { true },
        readTimeout: Duration = .seconds(2)
    ) throws -> (MetricsHTTPServer, Int) {
        let server = MetricsHTTPServer(
            host: "127.0.0.1", port: 0, metrics: metrics, ready: ready, logger: logger(), readTimeout: readTimeout)
        try server.start()
        let port = try #require(server.boundPort)
        #expect(port > 0)
        return (server, port)
    }

    @Test func metricsServesThePageWithThePrometheusContentType() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        let response = try Client.request(port: port, "GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.headers["content-length"] == String(Self.page.utf8.count))
        #expect(response.headers["connection"] == "close")
        #expect(response.body == Self.page)
        // The query string does not change the route.
        #expect(try Client.request(port: port, "GET", "/metrics?name[]=x").body == Self.page)
    }

    @Test func largePageIsSentWhole() throws {
        let line = "fraud_some_metric{label=\"value\"} 123456789\n"
        let big = String(repeating: line, count: 60_000)  // ~2.6 MB, many partial writes
        let (server, port) = try Self.startServer(metrics: { big })
        defer { server.stop() }
        let response = try Client.request(port: port, "GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-length"] == String(big.utf8.count))
        #expect(response.body == big)
    }

    @Test func healthz() throws {
        let (server, port) = try Self.startServer(ready: { false })
        defer { server.stop() }
        let response = try Client.request(port: port, "GET", "/healthz")
        #expect(response.status == 200)
        #expect(response.body == "ok\n")
        #expect(response.headers["content-length"] == "3")
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
    }

    @Test func readyzFollowsTheClosure() throws {
        let ready = Locked(false)
        let (server, port) = try Self.startServer(ready: { ready.withLock { $0 } })
        defer { server.stop() }
        let notReady = try Client.request(port: port, "GET", "/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.body == "not ready\n")
        ready.withLock { $0 = true }
        let isReady = try Client.request(port: port, "GET", "/readyz?probe=k8s")
        #expect(isReady.status == 200)
        #expect(isReady.body == "ready\n")
    }

    @Test func unknownPathsAre404() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        for path in ["/", "/metrics/", "/Metrics", "/healthz/x", "/favicon.ico"] {
            let response = try Client.request(port: port, "GET", path)
            #expect(response.status == 404, "\(path)")
            #expect(response.headers["content-length"] == String(response.body.utf8.count))
        }
    }

    @Test func otherMethodsAre405() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "get"] {
            let response = try Client.request(port: port, method, "/metrics")
            #expect(response.status == 405, "\(method)")
            #expect(response.headers["allow"] == "GET, HEAD")
        }
        // A POST with a body: the body is read and discarded, the response still arrives.
        let post = try Client.exchange(port: port, "POST /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        #expect(post.status == 405)
    }

    @Test func malformedRequestsAre400() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        for request in ["GARBAGE\r\n\r\n", "GET /metrics\r\n\r\n", "GET  /metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/1.1\r\nbroken header\r\n\r\n"] {
            let response = try Client.exchange(port: port, request)
            #expect(response.status == 400, "\(request.debugDescription)")
            #expect(response.headers["connection"] == "close")
        }
        // Binary junk without any line end is refused as soon as a line ends, or when too large.
        let junk = try Client.exchange(port: port, [0x16, 0x03, 0x01, 0x00, 0xFF, 0x0A])
        #expect(junk.status == 400)
    }

    @Test func headHasHeadersButNoBody() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        for (path, length) in [("/metrics", Self.page.utf8.count), ("/healthz", 3), ("/readyz", 6)] {
            let response = try Client.request(port: port, "HEAD", path)
            #expect(response.status == 200, "\(path)")
            #expect(response.headers["content-length"] == String(length), "\(path)")
            #expect(response.body.isEmpty, "\(path)")
            #expect(response.raw.hasSuffix("\r\n\r\n"))
        }
        #expect(try Client.request(port: port, "HEAD", "/missing").body.isEmpty)
    }

    @Test func oversizedHeadIs431() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        let request = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "p", count: 9000))\r\n\r\n"
        let response = try Client.exchange(port: port, request)
        #expect(response.status == 431)
        // A head just under the limit is fine.
        let padding = 8192 - "GET /metrics HTTP/1.1\r\nX: \r\n\r\n".utf8.count
        let fits = "GET /metrics HTTP/1.1\r\nX: \(String(repeating: "p", count: padding))\r\n\r\n"
        #expect(fits.utf8.count == 8192)
        #expect(try Client.exchange(port: port, fits).status == 200)
    }

    @Test func anIdleClientDoesNotBlockOthersAndIsDropped() throws {
        let (server, port) = try Self.startServer(readTimeout: .milliseconds(500))
        defer { server.stop() }
        let idle = try Client.connect(port: port)
        defer { close(idle) }
        let partial = try Client.connect(port: port)
        defer { close(partial) }
        try Client.send(partial, Array("GET /metrics HTTP/1.1\r\nHost:".utf8))
        let response = try Client.request(port: port, "GET", "/healthz")
        #expect(response.status == 200)
        // Both slow clients are disconnected after the read timeout (not our receive timeout).
        #expect(try Client.isClosedByPeer(idle))
        #expect(try Client.isClosedByPeer(partial))
        #expect(try Client.request(port: port, "GET", "/healthz").status == 200)
    }

    @Test func stopClosesThePortAndTheServerCanStartAgain() throws {
        let (server, port) = try Self.startServer()
        #expect(try Client.request(port: port, "GET", "/healthz").status == 200)
        let idle = try Client.connect(port: port)
        defer { close(idle) }
        #expect(server.isRunning)
        server.stop()
        #expect(!server.isRunning)
        #expect(server.boundPort == nil)
        // The idle connection was closed with the server (a reset when it was still in the
        // listen backlog), and nothing listens any more.
        #expect(try Client.isClosedByPeer(idle))
        let refused = #expect(throws: TestHTTPClient.Failure.self) { _ = try Client.connect(port: port) }
        #expect(refused?.code == ECONNREFUSED)
        server.stop()  // a second stop does nothing

        try server.start()
        defer { server.stop() }
        let newPort = try #require(server.boundPort)
        #expect(try Client.request(port: newPort, "GET", "/healthz").status == 200)
    }

    @Test func bindingAPortInUseThrowsWithTheAddressAndReason() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        let second = MetricsHTTPServer(host: "127.0.0.1", port: port, metrics: { "" }, ready: { true }, logger: Self.logger())
        let error = #expect(throws: MetricsHTTPServerError.self) { try second.start() }
        #expect(error?.code == EADDRINUSE)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        #expect(error?.description.contains(String(cString: strerror(EADDRINUSE))) == true)
        #expect(!second.isRunning)
        // The first server is unaffected.
        #expect(try Client.request(port: port, "GET", "/healthz").status == 200)
    }

    @Test func startingTwiceOrOnABadPortThrows() throws {
        let (server, _) = try Self.startServer()
        defer { server.stop() }
        #expect(throws: MetricsHTTPServerError.self) { try server.start() }
        let badPort = MetricsHTTPServer(host: "127.0.0.1", port: 70_000, metrics: { "" }, ready: { true }, logger: Self.logger())
        #expect(throws: MetricsHTTPServerError.self) { try badPort.start() }
        // An address of no local interface (TEST-NET-1): numeric, so no name lookup is made.
        let badHost = MetricsHTTPServer(host: "192.0.2.1", port: 0, metrics: { "" }, ready: { true }, logger: Self.logger())
        let error = #expect(throws: MetricsHTTPServerError.self) { try badHost.start() }
        #expect(error?.code == EADDRNOTAVAIL)
        #expect(error?.description == "cannot listen on 192.0.2.1:0: \(String(cString: strerror(EADDRNOTAVAIL))) (errno \(EADDRNOTAVAIL))")
        #expect(MetricsHTTPServerError(host: "::1", port: 9090, code: nil, reason: "x").description == "cannot listen on [::1]:9090: x")
    }
}
