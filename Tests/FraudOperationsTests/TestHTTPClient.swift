import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP client for the server tests: raw bytes in, the raw response out.
enum TestHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        let code: Int32
    }

    struct Response {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
        var body: String
        var raw: String
    }

    /// Socket timeouts: generous, tests run on loaded machines.
    static let timeoutSeconds = 15

    /// A connected socket with send and receive timeouts.
    static func connect(port: Int) throws -> Int32 {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw failure("socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let error = failure("connect to 127.0.0.1:\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Darwin)
            let flags: Int32 = 0
            #else
            let flags = Int32(MSG_NOSIGNAL)
            #endif
            let n = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress! + offset, bytes.count - offset, flags) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("send")
            }
            offset += n
        }
    }

    /// Everything until the peer closes; throws on a receive timeout.
    static func readToEnd(_ fd: Int32) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                result += buffer[..<n]
            } else if n == 0 {
                return result
            } else if errno != EINTR {
                throw failure("recv")
            }
        }
    }

    /// True when the peer closed the connection (EOF or reset) without sending anything.
    static func isClosedByPeer(_ fd: Int32) throws -> Bool {
        do {
            return try readToEnd(fd).isEmpty
        } catch let failure as Failure where failure.code == ECONNRESET {
            return true
        }
    }

    /// Sends `request` verbatim on a new connection and reads the response to the close.
    static func exchange(port: Int, _ request: [UInt8]) throws -> Response {
        let fd = try connect(port: port)
        defer { close(fd) }
        try send(fd, request)
        return try parse(readToEnd(fd))
    }

    static func exchange(port: Int, _ request: String) throws -> Response {
        try exchange(port: port, Array(request.utf8))
    }

    /// `method path HTTP/1.1` with a Host header.
    static func request(port: Int, _ method: String, _ path: String) throws -> Response {
        try exchange(port: port, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: tests\r\n\r\n")
    }

    static func parse(_ bytes: [UInt8]) throws -> Response {
        let raw = String(decoding: bytes, as: UTF8.self)
        guard let split = raw.range(of: "\r\n\r\n") else { throw Failure(description: "no response head in \(raw.debugDescription)", code: 0) }
        let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(lines[0].debugDescription)", code: 0)
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header \(line)", code: 0) }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(raw[split.upperBound...]), raw: raw)
    }

    private static func failure(_ what: String) -> Failure {
        let code = errno
        return Failure(description: "\(what): \(String(cString: strerror(code)))", code: code)
    }
}
