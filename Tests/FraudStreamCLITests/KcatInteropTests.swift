import Foundation
import RdKafka
import Testing

@testable import fraudstream

/// Runs the built `fraudstream broker` as a subprocess and talks to it with kcat and with this
/// library: the embedded broker is a real Kafka-protocol server.
@Suite(.serialized) struct KcatInteropTests {
    static let kcat = "/usr/bin/kcat"

    /// The `fraudstream` executable next to the test bundle in the build folder.
    static func fraudstreamBinary() throws -> URL {
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argument0.deletingLastPathComponent())
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // macOS: the binary sits next to the .xctest bundle, three levels above the executable.
        candidates += candidates.map { $0.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        for directory in candidates {
            let url = directory.appendingPathComponent("fraudstream")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "fraudstream binary not found near \(candidates)"])
    }

    /// Runs a process to completion with a deadline; returns (status, stdout, stderr).
    @discardableResult
    static func run(_ path: String, _ arguments: [String], input: String? = nil, timeout: Double = 60) throws
        -> (Int32, String, String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(path) \(arguments) timed out"])
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stdout, stderr)
    }

    @Test func kcatAndSwiftClientsTalkToTheBrokerCommandWhichExitsCleanlyOnSIGTERM() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.kcat) else {
            print("SKIPPED kcat interop: \(Self.kcat) is missing (apt-get install kcat)")
            return
        }
        let binary = try Self.fraudstreamBinary()
        let bootstrapFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("fraudstream-broker-\(UUID().uuidString).txt")
        let broker = Process()
        broker.executableURL = binary
        broker.arguments = ["broker", "--topic", "payments:4", "--topic", "alerts:2", "--bootstrap-file", bootstrapFile.path]
        let brokerOut = Pipe()
        broker.standardOutput = brokerOut
        broker.standardError = FileHandle.nullDevice
        try broker.run()
        defer { if broker.isRunning { broker.terminate() } }

        // The address appears in the file (and as `bootstrap=` on stdout).
        let deadline = Date().addingTimeInterval(60)
        var bootstrap = ""
        while bootstrap.isEmpty && Date() < deadline {
            if let text = try? String(contentsOf: bootstrapFile, encoding: .utf8) {
                bootstrap = text.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(bootstrap.hasPrefix("127.0.0.1:"))

        // kcat produces keyed messages...
        let lines = (0..<50).map { "card-\($0 % 5):payment-\($0)" }
        let (produced, _, produceErr) = try Self.run(
            Self.kcat, ["-b", bootstrap, "-t", "payments", "-P", "-K:"], input: lines.joined(separator: "\n") + "\n")
        #expect(produced == 0, "kcat -P failed: \(produceErr)")

        // ...kcat reads them back...
        let (consumedStatus, consumed, _) = try Self.run(
            Self.kcat, ["-b", bootstrap, "-t", "payments", "-C", "-e", "-q", "-o", "beginning", "-f", "%k=%s\\n"])
        #expect(consumedStatus == 0)
        #expect(Set(consumed.split(separator: "\n").map(String.init)) == Set(lines.map { $0.replacingOccurrences(of: ":", with: "=") }))

        // ...and so does a Swift consumer group member.
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "interop", autoOffsetReset: .earliest),
            topics: ["payments"])
        var received: [String: String] = [:]
        for try await message in consumer.messages {
            received[message.valueString!] = message.keyString!
            if received.count == 50 { break }
        }
        try await consumer.close()
        #expect(received.count == 50)
        #expect(received["payment-7"] == "card-2")

        // A Swift producer writes, kcat reads (metadata shows the topics the command created).
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: bootstrap))
        try await producer.send(KafkaProducerMessage(topic: "alerts", key: "card-3", value: "{\"score\":0.97}"))
        try await producer.flush()
        try await producer.close()
        let (_, alerts, _) = try Self.run(Self.kcat, ["-b", bootstrap, "-t", "alerts", "-C", "-e", "-q", "-o", "beginning", "-f", "%k %s\\n"])
        #expect(alerts.contains("card-3 {\"score\":0.97}"))
        let (_, listing, _) = try Self.run(Self.kcat, ["-b", bootstrap, "-L"])
        #expect(listing.contains("topic \"payments\" with 4 partitions"))
        #expect(listing.contains("topic \"alerts\" with 2 partitions"))

        // The quick-start demo against the same (external) broker.
        let roundTrip = try RoundTripCommand.parse(["--messages", "500", "--bootstrap", bootstrap, "--topic", "payments"])
        try await roundTrip.run()

        // SIGTERM: clean exit 0, `bootstrap=` was printed.
        broker.terminate()
        let exitDeadline = Date().addingTimeInterval(30)
        while broker.isRunning && Date() < exitDeadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!broker.isRunning)
        #expect(broker.terminationReason == .exit)
        #expect(broker.terminationStatus == 0)
        let stdout = String(decoding: brokerOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stdout == "bootstrap=\(bootstrap)\n")
    }
}
