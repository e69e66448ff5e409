/// A complete HTTP/1.1 response, always with `Content-Length` and `Connection: close`.
struct HTTPResponse: Sendable, Hashable {
    var status: Int
    var contentType: String
    var extraHeaders: [String] = []
    var body: [UInt8]

    static let plainText = "text/plain; charset=utf-8"
    static let prometheusText = "text/plain; version=0.0.4; charset=utf-8"

    init(status: Int, contentType: String = HTTPResponse.plainText, extraHeaders: [String] = [], body: String) {
        self.status = status
        self.contentType = contentType
        self.extraHeaders = extraHeaders
        self.body = Array(body.utf8)
    }

    /// The bytes to send; for a HEAD request the head only, with the body's length.
    func serialized(includeBody: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Cache-Control: no-store\r\n"
        for header in extraHeaders { head += "\(header)\r\n" }
        head += "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += body }
        return bytes
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 431: return "Request Header Fields Too Large"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
