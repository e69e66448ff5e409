/// Why ``MetricsHTTPServer/start()`` failed: the address, and the system's reason.
public struct MetricsHTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host the server was to listen on.
    public let host: String
    /// The port the server was to listen on (0: an ephemeral port).
    public let port: Int
    /// The `errno` of the failed system call, when one failed (`nil` for a name-resolution
    /// failure or a misuse such as starting twice).
    public let code: Int32?
    /// The system's text for the failure, e.g. `Address already in use`.
    public let reason: String

    /// Creates an error.
    public init(host: String, port: Int, code: Int32?, reason: String) {
        self.host = host
        self.port = port
        self.code = code
        self.reason = reason
    }

    /// `cannot listen on 127.0.0.1:9090: Address already in use (errno 98)`.
    public var description: String {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let suffix = code.map { " (errno \($0))" } ?? ""
        return "cannot listen on \(address): \(reason)\(suffix)"
    }
}
