#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX socket calls the metrics server makes, with the platform differences.
enum POSIXSocket {
    #if canImport(Darwin)
    static let streamType = SOCK_STREAM
    /// Darwin has no MSG_NOSIGNAL; accepted sockets get SO_NOSIGPIPE instead.
    static let sendFlags: Int32 = 0
    #else
    static let streamType = Int32(SOCK_STREAM.rawValue)
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #endif

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A non-blocking, close-on-exec listening socket on `host:port` (SO_REUSEADDR), and the
    /// port it is bound to (the one the kernel chose when `port` is 0).
    static func openListener(host: String, port: Int, backlog: Int32 = 64) throws -> (fd: Int32, port: Int) {
        func failure(_ code: Int32?, _ reason: String) -> MetricsHTTPServerError {
            MetricsHTTPServerError(host: host, port: port, code: code, reason: reason)
        }
        guard (0...65535).contains(port) else { throw failure(nil, "port out of range 0...65535") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamType
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else {
            if rc == EAI_SYSTEM { let e = errno; throw failure(e, errorText(e)) }
            throw failure(nil, String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var lastError = failure(nil, "no address to listen on")
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { let e = errno; lastError = failure(e, errorText(e)); continue }
            var one: Int32 = 1
            guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0,
                  bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0,
                  listen(fd, backlog) == 0,
                  setNonBlockingCloseOnExec(fd)
            else {
                let e = errno
                lastError = failure(e, errorText(e))
                close(fd)
                continue
            }
            guard let bound = localPort(fd) else {
                let e = errno
                close(fd)
                throw failure(e, "getsockname: \(errorText(e))")
            }
            return (fd, bound)
        }
        throw lastError
    }

    /// A pipe whose two ends are non-blocking and close-on-exec.
    static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        guard setNonBlockingCloseOnExec(fds[0]), setNonBlockingCloseOnExec(fds[1]) else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        return (fds[0], fds[1])
    }

    static func setNonBlockingCloseOnExec(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        let fdFlags = fcntl(fd, F_GETFD)
        return fdFlags >= 0 && fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC) == 0
    }

    enum AcceptResult {
        case accepted(Int32)
        case wouldBlock
        case failed(Int32)
    }

    /// One pending connection from a non-blocking listener, itself made non-blocking.
    static func acceptConnection(_ listener: Int32) -> AcceptResult {
        while true {
            let fd = accept(listener, nil, nil)
            if fd >= 0 {
                guard setNonBlockingCloseOnExec(fd) else {
                    let e = errno
                    close(fd)
                    return .failed(e)
                }
                #if canImport(Darwin)
                var one: Int32 = 1
                _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
                #endif
                return .accepted(fd)
            }
            let e = errno
            switch e {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(e)
            }
        }
    }

    /// The local port of a bound socket.
    static func localPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }

    /// Monotonic time in nanoseconds.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
