import Testing

@testable import FraudOperations

@Suite struct HTTPRequestHeadTests {
    private func parse(_ text: String, limit: Int = 8192) -> HTTPRequestHead.ParseResult {
        HTTPRequestHead.parse(Array(text.utf8), limit: limit)
    }

    @Test func completeHeads() {
        #expect(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            == .complete(HTTPRequestHead(method: "GET", target: "/metrics", path: "/metrics")))
        #expect(parse("HEAD /readyz?verbose=1 HTTP/1.0\n\n")
            == .complete(HTTPRequestHead(method: "HEAD", target: "/readyz?verbose=1", path: "/readyz")))
        #expect(parse("GET http://host:9090/metrics?x HTTP/1.1\r\n\r\n")
            == .complete(HTTPRequestHead(method: "GET", target: "http://host:9090/metrics?x", path: "/metrics")))
        #expect(parse("GET http://host HTTP/1.1\r\n\r\n")
            == .complete(HTTPRequestHead(method: "GET", target: "http://host", path: "/")))
        // Bytes after the head (a body) are not looked at.
        #expect(parse("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
            == .complete(HTTPRequestHead(method: "POST", target: "/x", path: "/x")))
    }

    @Test func incompleteHeads() {
        #expect(parse("") == .incomplete)
        #expect(parse("GET /metrics HT") == .incomplete)
        #expect(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r") == .incomplete)
    }

    @Test func malformedHeads() {
        for text in [
            "\r\n\r\n", "GARBAGE\r\n\r\n", "GET  /metrics HTTP/1.1\r\n\r\n", "GET /metrics\r\n\r\n",
            "GET metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/1.1 extra\r\n\r\n", "GET /metrics HTTQ/1.1\r\n\r\n",
            "GET /metrics HTTP/11\r\n\r\n", "G(T /metrics HTTP/1.1\r\n\r\n", "GET /m\u{7F} HTTP/1.1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nNoColon\r\n\r\n", "GET /metrics HTTP/1.1\r\n: empty\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nBad Name: x\r\n\r\n", "GET /metrics HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        ] {
            #expect(parse(text) == .malformed, "\(text.debugDescription)")
        }
        // A bad request line is reported before the head is complete.
        #expect(parse("NOT HTTP AT ALL\r\n") == .malformed)
        #expect(parse("GET /metrics HTTP/2.0\r\n\r\n") == .unsupportedVersion)
    }

    @Test func sizeLimit() {
        let head = "GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 100))\r\n\r\n"
        let size = head.utf8.count
        #expect(parse(head, limit: size) == .complete(HTTPRequestHead(method: "GET", target: "/", path: "/")))
        #expect(parse(head, limit: size - 1) == .tooLarge)
        #expect(parse(String(head.dropLast(2)), limit: size) == .incomplete)
    }
}
