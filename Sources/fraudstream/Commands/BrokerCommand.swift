import ArgumentParser
import Dispatch
import Foundation
import Logging
import RdKafka

/// `fraudstream broker`: runs an embedded Kafka cluster (librdkafka's mock cluster) on loopback
/// until SIGINT or SIGTERM.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run an embedded Kafka broker on loopback for development, demos and tests.",
        discussion: """
            Starts librdkafka's mock cluster: a real Kafka-protocol server on 127.0.0.1 (one \
            ephemeral port per broker) that any Kafka client can use — fraudstream, kcat, \
            confluent-kafka. It supports producing (idempotent and transactional), consumer \
            groups with committed offsets, and metadata. No Kafka installation, JVM or Docker is \
            needed.

            Prints one line `bootstrap=127.0.0.1:PORT[,…]` on standard output (and writes the \
            address to --bootstrap-file if given), then runs until SIGINT (Ctrl-C) or SIGTERM \
            and exits 0. Point clients at that address, e.g.
              kcat -b 127.0.0.1:PORT -t transactions -P

            Limits: data lives in memory only and about the last 5 MB of each partition is kept \
            (older messages disappear); read_committed consumers still see aborted \
            transactional messages; topics are created here (--topic) because the CreateTopics \
            API is not implemented, although unknown topics are auto-created with 4 partitions \
            when a client asks for them.

            This is for development only. In production, run the other commands against a \
            real Kafka cluster with --bootstrap HOST:PORT (and librdkafka properties for \
            SASL/SSL).
            """
    )

    @Option(help: "Number of brokers in the cluster (ids 1...N); partition leaders are spread over them.")
    var brokers: Int = 1

    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp(
            "Topic to create, as NAME or NAME:PARTITIONS (default 8 partitions). Repeat for more topics.",
            discussion: "Without --topic: transactions, labels, alerts, decisions and dead-letter, 8 partitions each.",
            valueName: "name[:partitions]"))
    var topics: [String] = []

    @Option(help: ArgumentHelp("Also write the bootstrap address to this file.", valueName: "path"))
    var bootstrapFile: String?

    @Flag(help: "Log the brokers' activity (librdkafka log lines) on standard error.")
    var verbose = false

    static let defaultTopics = ["transactions", "labels", "alerts", "decisions", "dead-letter"]

    /// Parsed `--topic` values (or the defaults).
    func topicSpecs() throws -> [(name: String, partitions: Int)] {
        if topics.isEmpty { return Self.defaultTopics.map { ($0, 8) } }
        return try topics.map(Self.parseTopic)
    }

    static func parseTopic(_ spec: String) throws -> (name: String, partitions: Int) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw ValidationError("--topic '\(spec)': expected NAME or NAME:PARTITIONS, e.g. transactions:8")
        }
        let name = String(parts[0])
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 249, name != ".", name != "..", name.allSatisfy(allowed.contains) else {
            throw ValidationError(
                "--topic '\(spec)': a topic name is 1-249 characters of letters, digits, '.', '_' and '-'")
        }
        var partitions = 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), (1...10_000).contains(p) else {
                throw ValidationError("--topic '\(spec)': the partition count must be a whole number from 1 to 10000")
            }
            partitions = p
        }
        return (name, partitions)
    }

    func validate() throws {
        guard (1...64).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 64 (got \(brokers))") }
        let specs = try topicSpecs()
        let names = specs.map(\.name)
        if Set(names).count != names.count { throw ValidationError("--topic: the same topic is given twice") }
    }

    func run() async throws {
        var logger = Logger(label: "fraudstream.broker")
        logger.logLevel = verbose ? .debug : .warning
        let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: logger)
        for spec in try topicSpecs() {
            try cluster.createTopic(spec.name, partitions: spec.partitions, replicationFactor: min(brokers, 3))
        }
        let signals = TerminationSignals()  // installed before announcing the address
        print("bootstrap=\(cluster.bootstrapServers)")
        fflush(nil)  // all output streams: the address must reach a pipe reader now
        if let bootstrapFile {
            do {
                try Data((cluster.bootstrapServers + "\n").utf8).write(to: URL(fileURLWithPath: bootstrapFile), options: .atomic)
            } catch {
                throw ValidationError("cannot write --bootstrap-file '\(bootstrapFile)': \(error.localizedDescription)")
            }
        }
        let signal = await signals.wait()
        logger.info("received signal \(signal), stopping the embedded cluster")
        cluster.shutdown()
        if let bootstrapFile { try? FileManager.default.removeItem(atPath: bootstrapFile) }
    }
}

/// Waits for SIGINT or SIGTERM with Dispatch signal sources (no thread blocks).
///
/// `@unchecked Sendable` invariant: `sources` and `continuation` are only touched with `lock` held.
final class TerminationSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var received: Int32?
    private var continuation: CheckedContinuation<Int32, Never>?
    private let queue = DispatchQueue(label: "fraudstream.signals")

    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)  // let the dispatch source, not the default action, handle it
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in self?.fire(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func fire(_ sig: Int32) {
        lock.lock()
        if received == nil { received = sig }
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: sig)
    }

    /// Returns the first signal received (immediately if one already arrived).
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let received {
                lock.unlock()
                continuation.resume(returning: received)
            } else {
                self.continuation = continuation
                lock.unlock()
            }
        }
    }

    deinit { for source in sources { source.cancel() } }
}
