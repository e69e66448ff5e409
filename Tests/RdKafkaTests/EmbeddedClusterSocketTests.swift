import Foundation
import Testing

@testable import RdKafka

#if canImport(Glibc)
    import Glibc
#endif

extension RdKafkaTests {
    /// The embedded brokers' end of a connection has Nagle's algorithm off (see
    /// ``EmbeddedKafkaCluster/noDelayListeners``).
    @Suite struct EmbeddedClusterSocketTests {
        @Test(arguments: [1, 3]) func everyBrokerListensWithNoDelay(brokers: Int) throws {
            let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: testLogger)
            defer { cluster.shutdown() }
            #expect(cluster.noDelayListeners == brokers)
        }

        /// A connection the broker accepts inherits TCP_NODELAY from the listener; the client's
        /// own end (a plain socket, no option set) does not have it, so the check can tell.
        @Test func anAcceptedConnectionHasNoDelayAndTheClientEndDoesNot() async throws {
            let cluster = try EmbeddedKafkaCluster(logger: testLogger)
            defer { cluster.shutdown() }
            let port = try #require(cluster.bootstrapServers.split(separator: ":").last.flatMap { UInt16($0) })
            let client = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(client >= 0)
            defer { close(client) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(connected == 0)
            let clientPort = try #require(Self.localPort(client) as UInt16?)
            #expect(Self.noDelay(client) == false)

            // The mock's thread accepts the connection shortly after the kernel completes it.
            try await eventually(10, "the broker accepted the connection") {
                Self.connection(localPort: port, peerPort: clientPort) != nil
            }
            let accepted = try #require(Self.connection(localPort: port, peerPort: clientPort))
            #expect(Self.noDelay(accepted) == true)
        }

        static func localPort(_ fd: Int32) -> UInt16? { port(fd, getsockname) }

        static func peerPort(_ fd: Int32) -> UInt16? { port(fd, getpeername) }

        /// The port of `fd`'s address as `lookup` (getsockname or getpeername) gives it.
        static func port(
            _ fd: Int32, _ lookup: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
        ) -> UInt16? {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let result = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { lookup(fd, $0, &length) }
            }
            return result == 0 ? UInt16(bigEndian: address.sin_port) : nil
        }

        static func noDelay(_ fd: Int32) -> Bool? {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0 else { return nil }
            return value != 0
        }

        /// This process's connected socket from `localPort` to `peerPort`, if any.
        static func connection(localPort: UInt16, peerPort: UInt16) -> Int32? {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for entry in entries {
                guard let fd = Int32(entry), localPort == Self.localPort(fd), peerPort == Self.peerPort(fd) else {
                    continue
                }
                return fd
            }
            return nil
        }
    }
}
