import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The metrics server's event loop, run on the server's own thread.
///
/// One `poll()` watches the wake pipe (closed by ``MetricsHTTPServer/stop()``), the listener
/// and every open connection; all sockets are non-blocking, so a slow or silent client never
/// holds up another. Each connection reads one request head, gets one response, then is
/// half-closed and drained briefly (so unread request bytes do not turn the close into a reset
/// that could destroy the response), then closed. The loop owns and closes every descriptor it
/// is given.
struct MetricsServerLoop: Sendable {
    /// The largest request head accepted, terminating empty line included.
    static let maxHeadBytes = 8192
    /// Connections served at once; more wait in the listen backlog.
    static let maxConnections = 64

    let listener: Int32
    let wake: Int32
    let router: MetricsHTTPRouter
    let logger: Logger
    /// Time allowed from accepting a connection to receiving its complete request head.
    let readTimeout: UInt64
    /// Time allowed to send a response.
    var writeTimeout: UInt64 = 10_000_000_000
    /// Time spent discarding what the client still sends after the response.
    var lingerTimeout: UInt64 = 1_000_000_000
    /// Pause after an accept failure (e.g. out of descriptors) before accepting again.
    var acceptPause: UInt64 = 100_000_000

    private enum Phase {
        case reading
        case writing
        case draining
        case closed
    }

    private struct Connection {
        let fd: Int32
        var phase = Phase.reading
        var input: [UInt8] = []
        var output: [UInt8] = []
        var written = 0
        var deadline: UInt64
    }

    /// Serves until the wake pipe becomes readable or hung up, then closes everything.
    func run() {
        var connections: [Connection] = []
        var acceptPausedUntil: UInt64 = 0
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        defer {
            for connection in connections where connection.phase != .closed { close(connection.fd) }
            close(listener)
            close(wake)
        }
        var fds: [pollfd] = []
        while true {
            var now = POSIXSocket.now()
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            let hasRoom = connections.count < Self.maxConnections
            let accepting = hasRoom && now >= acceptPausedUntil
            // poll() ignores a negative descriptor.
            fds.append(pollfd(fd: accepting ? listener : -1, events: Int16(POLLIN), revents: 0))
            var timeout: UInt64 = 1_000_000_000
            if hasRoom && !accepting { timeout = min(timeout, acceptPausedUntil - now) }
            for connection in connections {
                let events = connection.phase == .writing ? Int16(POLLOUT) : Int16(POLLIN)
                fds.append(pollfd(fd: connection.fd, events: events, revents: 0))
                timeout = min(timeout, connection.deadline > now ? connection.deadline - now : 0)
            }
            let rc = poll(&fds, nfds_t(fds.count), Int32((timeout + 999_999) / 1_000_000))
            if rc < 0 {
                let e = errno
                if e == EINTR { continue }
                logger.error("metrics server: poll failed: \(POSIXSocket.errorText(e)); no longer serving")
                return
            }
            if fds[0].revents != 0 { return }
            now = POSIXSocket.now()
            for i in connections.indices {
                if fds[i + 2].revents != 0 { service(&connections[i], &scratch) }
                if connections[i].phase != .closed, connections[i].deadline <= POSIXSocket.now() {
                    if connections[i].phase == .reading {
                        logger.debug("metrics server: no complete request within the read timeout; closing the connection")
                    }
                    closeConnection(&connections[i])
                }
            }
            connections.removeAll { $0.phase == .closed }
            if fds[1].revents != 0 {
                acceptPausedUntil = accept(into: &connections, now: now)
            }
        }
    }

    /// Accepts what is pending; returns when to accept again after a failure (0: at once).
    private func accept(into connections: inout [Connection], now: UInt64) -> UInt64 {
        while connections.count < Self.maxConnections {
            switch POSIXSocket.acceptConnection(listener) {
            case .accepted(let fd):
                connections.append(Connection(fd: fd, deadline: now + readTimeout))
            case .wouldBlock:
                return 0
            case .failed(let e):
                logger.warning("metrics server: accept failed: \(POSIXSocket.errorText(e))")
                return now + acceptPause
            }
        }
        return 0
    }

    private func service(_ c: inout Connection, _ scratch: inout [UInt8]) {
        switch c.phase {
        case .reading:
            let n = recv(c.fd, &scratch, scratch.count, 0)
            if n > 0 {
                c.input.append(contentsOf: scratch[..<n])
                respondIfComplete(&c)
            } else if n == 0 || !isTransient(errno) {
                closeConnection(&c)  // closed (or failed) before sending a whole request head
            }
        case .writing:
            writeSome(&c)
        case .draining:
            let n = recv(c.fd, &scratch, scratch.count, 0)
            if n == 0 || (n < 0 && !isTransient(errno)) { closeConnection(&c) }
        case .closed:
            break
        }
    }

    private func respondIfComplete(_ c: inout Connection) {
        let parsed = HTTPRequestHead.parse(c.input, limit: Self.maxHeadBytes)
        guard let (response, includeBody) = router.respond(to: parsed) else { return }
        if case .complete(let head) = parsed {
            logger.debug("metrics server: \(head.method) \(head.target) -> \(response.status)")
        } else {
            logger.debug("metrics server: rejected request -> \(response.status)")
        }
        c.input = []
        c.output = response.serialized(includeBody: includeBody)
        c.phase = .writing
        c.deadline = POSIXSocket.now() + writeTimeout
        writeSome(&c)
    }

    private func writeSome(_ c: inout Connection) {
        while c.written < c.output.count {
            let written = c.written
            let n = c.output.withUnsafeBytes { bytes in
                send(c.fd, bytes.baseAddress! + written, bytes.count - written, POSIXSocket.sendFlags)
            }
            if n > 0 {
                c.written += n
            } else if n < 0, errno == EINTR {
                continue
            } else if n < 0, isTransient(errno) {
                return  // wait for POLLOUT
            } else {
                closeConnection(&c)
                return
            }
        }
        _ = shutdown(c.fd, Int32(SHUT_WR))
        c.output = []
        c.phase = .draining
        c.deadline = POSIXSocket.now() + lingerTimeout
    }

    private func closeConnection(_ c: inout Connection) {
        close(c.fd)
        c.phase = .closed
    }

    private func isTransient(_ e: Int32) -> Bool { e == EAGAIN || e == EWOULDBLOCK || e == EINTR }
}
