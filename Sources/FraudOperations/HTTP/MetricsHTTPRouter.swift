/// Maps a parsed request to the metrics server's response: `/metrics`, `/healthz`, `/readyz`.
struct MetricsHTTPRouter: Sendable {
    let metrics: @Sendable () -> String
    let ready: @Sendable () -> Bool

    /// The response and whether to send its body (not for HEAD).
    func respond(to result: HTTPRequestHead.ParseResult) -> (response: HTTPResponse, includeBody: Bool)? {
        switch result {
        case .incomplete:
            return nil
        case .tooLarge:
            return (HTTPResponse(status: 431, body: "request header fields too large\n"), true)
        case .malformed:
            return (HTTPResponse(status: 400, body: "bad request\n"), true)
        case .unsupportedVersion:
            return (HTTPResponse(status: 505, body: "HTTP version not supported\n"), true)
        case .complete(let head):
            return respond(to: head)
        }
    }

    private func respond(to head: HTTPRequestHead) -> (response: HTTPResponse, includeBody: Bool) {
        let route: () -> HTTPResponse
        switch head.path {
        case "/metrics":
            route = { HTTPResponse(status: 200, contentType: HTTPResponse.prometheusText, body: metrics()) }
        case "/healthz":
            route = { HTTPResponse(status: 200, body: "ok\n") }
        case "/readyz":
            route = { ready() ? HTTPResponse(status: 200, body: "ready\n") : HTTPResponse(status: 503, body: "not ready\n") }
        default:
            return (HTTPResponse(status: 404, body: "not found\n"), head.method != "HEAD")
        }
        switch head.method {
        case "GET": return (route(), true)
        case "HEAD": return (route(), false)
        default: return (HTTPResponse(status: 405, extraHeaders: ["Allow: GET, HEAD"], body: "method not allowed\n"), true)
        }
    }
}
