import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server for Prometheus scrapes and orchestrator probes.
///
/// Routes (`GET` and `HEAD`; the query string is ignored):
/// - `/metrics`: 200, `Content-Type: text/plain; version=0.0.4; charset=utf-8`, the text
///   returned by `metrics` (typically ``PrometheusTextWriter/text``);
/// - `/healthz`: 200 `ok` while the server runs;
/// - `/readyz`: 200 `ready` or 503 `not ready`, as `ready` says.
///
/// Other paths get 404, other methods 405 (`Allow: GET, HEAD`), a malformed request 400, a
/// request head over 8 KiB 431. Every response carries `Content-Length` and
/// `Connection: close`; a client that has not sent a complete request head within the read
/// timeout is disconnected.
///
/// The server runs on one dedicated thread with non-blocking POSIX sockets and `poll()`, never
/// on Swift's cooperative pool. `metrics` and `ready` are called on that thread, one request at
/// a time, so they should be quick. ``stop()`` returns once the thread has closed every socket
/// (or after a bounded wait).
public final class MetricsHTTPServer: Sendable {
    /// The host to listen on.
    public let host: String
    /// The port asked for (0: an ephemeral port; see ``boundPort``).
    public let port: Int

    private let router: MetricsHTTPRouter
    private let logger: Logger
    private let readTimeout: Duration
    private let stopTimeout: Duration

    private struct Running {
        /// Closing this write end of the wake pipe tells the loop to stop.
        let wakeWriter: Int32
        let port: Int
        /// Signalled by the server thread when it has closed every descriptor.
        let finished: DispatchSemaphore
    }

    private let running = Locked<Running?>(nil)

    /// Creates a stopped server.
    ///
    /// - Parameters:
    ///   - host: a numeric address or a host name to listen on; `0.0.0.0` is every IPv4
    ///     interface, `::` every IPv6 (and, where the system allows, IPv4) interface.
    ///   - port: the TCP port; 0 lets the system choose (read ``boundPort`` after ``start()``).
    ///   - metrics: returns the `/metrics` page. Called on the server thread per request.
    ///   - ready: whether `/readyz` answers 200. Called on the server thread per request.
    ///   - logger: where start, stop and failures are logged (requests at debug level).
    ///   - readTimeout: how long a connection may take to send its request head.
    ///   - stopTimeout: how long ``stop()`` waits for the server thread.
    public init(
        host: String = "0.0.0.0", port: Int,
        metrics: @escaping @Sendable () -> String, ready: @escaping @Sendable () -> Bool,
        logger: Logger = Logger(label: "fraudstream.metrics"),
        readTimeout: Duration = .seconds(2), stopTimeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.router = MetricsHTTPRouter(metrics: metrics, ready: ready)
        self.logger = logger
        self.readTimeout = readTimeout
        self.stopTimeout = stopTimeout
    }

    deinit {
        // The server thread does not reference the server: closing the pipe lets it finish.
        if let state = running.withLock({ $0 }) { close(state.wakeWriter) }
    }

    /// The port the server listens on while it runs (the system's choice when ``port`` is 0);
    /// `nil` when it is not running.
    public var boundPort: Int? { running.withLock { $0?.port } }

    /// Whether the server has been started and not stopped.
    public var isRunning: Bool { running.withLock { $0 != nil } }

    /// Binds and listens (with `SO_REUSEADDR`), then serves on a new thread.
    ///
    /// - Throws: ``MetricsHTTPServerError`` naming the host, the port and the system's reason
    ///   when the address cannot be resolved or bound (e.g. `Address already in use`), or when
    ///   the server is already running.
    public func start() throws {
        try running.withLock { state in
            guard state == nil else {
                throw MetricsHTTPServerError(host: host, port: port, code: nil, reason: "the server is already running")
            }
            let listener = try POSIXSocket.openListener(host: host, port: port)
            guard let pipe = POSIXSocket.makePipe() else {
                let e = errno
                close(listener.fd)
                throw MetricsHTTPServerError(host: host, port: port, code: e, reason: "pipe: \(POSIXSocket.errorText(e))")
            }
            let loop = MetricsServerLoop(
                listener: listener.fd, wake: pipe.read, router: router, logger: logger,
                readTimeout: Self.nanoseconds(readTimeout))
            let finished = DispatchSemaphore(value: 0)
            let thread = Thread {
                // Set from the thread itself in ≤ 15 characters, or Linux does not apply it
                // (this module has no RdKafka.ThreadName).
                Thread.current.name = "fs-metrics-http"
                loop.run()
                finished.signal()
            }
            thread.start()
            state = Running(wakeWriter: pipe.write, port: listener.port, finished: finished)
        }
        logger.info("metrics server listening", metadata: ["host": "\(host)", "port": "\(boundPort ?? port)"])
    }

    /// Stops serving: closes the listener and open connections and waits (at most the stop
    /// timeout given to the initializer) for the server thread to end. Does nothing when the
    /// server is not running. Blocks the caller; call it from a thread that may block, not
    /// from the `metrics` or `ready` closures (the wait would time out).
    public func stop() {
        guard let state = running.withLock({ s -> Running? in
            defer { s = nil }
            return s
        }) else { return }
        close(state.wakeWriter)
        let deadline = DispatchTime.now() + .nanoseconds(Int(clamping: Self.nanoseconds(stopTimeout)))
        if state.finished.wait(timeout: deadline) == .timedOut {
            logger.warning("metrics server thread still busy after \(stopTimeout); it stops after its current request")
        } else {
            logger.info("metrics server stopped", metadata: ["port": "\(state.port)"])
        }
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(clamping: seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
