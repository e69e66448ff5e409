import ArgumentParser
import FraudOperations
import FraudPipeline
import FraudRules
import Foundation
import Testing
import Yams

@testable import fraudstream

/// No Docker engine runs here, so `Docker/docker-compose.yml` cannot be started by the tests.
/// Instead these tests read the real Docker files and hold them to the real CLI: every
/// `fraudstream` command parses and validates, the processor's config file loads and names
/// a rules file the image contains, the topics created are the topics required, and hosts
/// and ports agree between Kafka, the processor, the simulator and Prometheus.
@Suite struct DockerComposeTests {
    // MARK: - Files

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The repository root: the folder above `Tests/` that holds `Package.swift`.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static let dockerFolder = repositoryRoot.appendingPathComponent("Docker", isDirectory: true)

    static func text(_ name: String) throws -> String {
        let url = dockerFolder.appendingPathComponent(name)
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Failure("cannot read \(url.path): \(error)")
        }
    }

    /// A YAML mapping, with a message naming `what` when it is something else.
    static func mapping(_ value: Any?, _ what: String) throws -> [String: Any] {
        guard let mapping = value as? [String: Any] else { throw Failure("\(what) is not a mapping: \(String(describing: value))") }
        return mapping
    }

    /// A YAML scalar as text (numbers and booleans as YAML wrote them).
    static func scalar(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let flag as Bool: String(flag)
        case let number as Double: String(number)
        default: nil
        }
    }

    /// The compose file, parsed.
    struct Compose {
        var services: [String: [String: Any]]

        init() throws {
            let text = try DockerComposeTests.text("docker-compose.yml")
            let document: Any?
            do {
                document = try Yams.load(yaml: text)
            } catch {
                throw Failure("Docker/docker-compose.yml is not valid YAML: \(error)")
            }
            let root = try DockerComposeTests.mapping(document, "docker-compose.yml")
            let services = try DockerComposeTests.mapping(root["services"], "docker-compose.yml services")
            self.services = [:]
            for (name, value) in services {
                self.services[name] = try DockerComposeTests.mapping(value, "service \(name)")
            }
        }

        func service(_ name: String) throws -> [String: Any] {
            guard let service = services[name] else {
                throw Failure("docker-compose.yml has no service \(name) (services: \(services.keys.sorted()))")
            }
            return service
        }

        /// An exec-form `command` (a list of strings): compose passes it to the entrypoint as is.
        func command(of name: String) throws -> [String] {
            let value = try service(name)["command"]
            guard let list = value as? [Any] else {
                throw Failure("service \(name): command must be an exec-form list, found \(String(describing: value))")
            }
            return try list.map { item in
                guard let text = DockerComposeTests.scalar(item) else { throw Failure("service \(name): command item \(item) is not a scalar") }
                return text
            }
        }

        func environment(of name: String) throws -> [String: String] {
            let value = try service(name)["environment"]
            if let mapping = value as? [String: Any] {
                return mapping.compactMapValues { DockerComposeTests.scalar($0) }
            }
            if let list = value as? [String] {
                var result: [String: String] = [:]
                for entry in list {
                    let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    result[parts[0]] = parts.count == 2 ? parts[1] : ""
                }
                return result
            }
            throw Failure("service \(name): environment is missing or not a mapping/list")
        }

        /// `depends_on` as service → condition.
        func dependencies(of name: String) throws -> [String: String] {
            let value = try service(name)["depends_on"]
            if let list = value as? [String] { return Dictionary(uniqueKeysWithValues: list.map { ($0, "service_started") }) }
            guard let mapping = value as? [String: Any] else { return [:] }
            return mapping.mapValues { DockerComposeTests.scalar(($0 as? [String: Any])?["condition"]) ?? "service_started" }
        }

        /// Short-syntax `ports` as (published, container) pairs.
        func ports(of name: String) throws -> [(published: Int, container: Int)] {
            guard let list = try service(name)["ports"] as? [Any] else { return [] }
            return try list.map { item in
                guard let text = DockerComposeTests.scalar(item) else { throw Failure("service \(name): port \(item) is not a scalar") }
                let parts = text.split(separator: "/").first.map { $0.split(separator: ":").map(String.init) } ?? []
                guard parts.count >= 2, let published = Int(parts[parts.count - 2]), let container = Int(parts[parts.count - 1]) else {
                    throw Failure("service \(name): port \(text) is not HOST:CONTAINER (quote it in YAML)")
                }
                return (published, container)
            }
        }

        /// Short-syntax `volumes` as (source, target, options).
        func volumes(of name: String) throws -> [(source: String, target: String, options: String)] {
            guard let list = try service(name)["volumes"] as? [Any] else { return [] }
            return try list.map { item in
                guard let text = DockerComposeTests.scalar(item) else { throw Failure("service \(name): volume \(item) is not short syntax") }
                let parts = text.split(separator: ":").map(String.init)
                guard parts.count >= 2 else { throw Failure("service \(name): volume \(text) is not SOURCE:TARGET[:OPTIONS]") }
                return (parts[0], parts[1], parts.count > 2 ? parts[2] : "")
            }
        }
    }

    /// The value following `flag` in an argument list (`--flag value` or `--flag=value`).
    static func value(of flag: String, in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == flag, index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix(flag + "=") { return String(argument.dropFirst(flag.count + 1)) }
        }
        return nil
    }

    /// The processor's config file: the compose volume mounted at `run --config`, resolved
    /// against `Docker/` (compose resolves relative sources against the compose file's folder).
    static func processorConfig(_ compose: Compose) throws -> (hostPath: String, settings: PipelineSettings, configuration: PipelineConfiguration) {
        let command = try compose.command(of: "processor")
        guard let containerPath = value(of: "--config", in: command) else {
            throw Failure("processor command \(command) has no --config")
        }
        guard let mount = try compose.volumes(of: "processor").first(where: { $0.target == containerPath }) else {
            throw Failure("processor: no volume is mounted at its --config \(containerPath)")
        }
        let hostPath = dockerFolder.appendingPathComponent(mount.source).standardizedFileURL.path
        let settings = try PipelineSettings.load(contentsOf: hostPath)
        return (hostPath, settings, try settings.resolve())
    }

    // MARK: - Commands

    @Test func simulatorCommandParsesAsGenerateToTheConfiguredTopics() throws {
        let compose = try Compose()
        let command = try compose.command(of: "simulator")
        let parsed: any ParsableCommand
        do {
            parsed = try FraudStream.parseAsRoot(command)
        } catch {
            Issue.record("simulator command \(command) does not parse: \(FraudStream.message(for: error))")
            return
        }
        guard var generate = parsed as? GenerateCommand else {
            Issue.record("simulator command \(command) parses as \(type(of: parsed)), not generate")
            return
        }
        do {
            try generate.validate()
        } catch {
            Issue.record("simulator command \(command) fails validation: \(FraudStream.message(for: error))")
        }
        #expect(generate.rate != nil, "the simulator should pace itself with --rate")

        let config = try Self.processorConfig(compose).configuration
        #expect(generate.kafka.bootstrap == config.bootstrapServers,
                "simulator --bootstrap \(generate.kafka.bootstrap ?? "nil") differs from the processor's bootstrap \(config.bootstrapServers)")
        #expect(generate.topic == config.topics.transactions,
                "simulator --topic \(generate.topic) differs from the config's transactions topic \(config.topics.transactions)")
        #expect(generate.labelsTopic == config.topics.labels,
                "simulator --labels-topic \(generate.labelsTopic) differs from the config's labels topic \(config.topics.labels)")

        #expect(Self.scalar(try compose.service("simulator")["restart"]) == "on-failure")
        #expect(try compose.dependencies(of: "simulator")["topics"] == "service_completed_successfully",
                "the simulator must wait for the topics service to finish")
    }

    @Test func processorCommandParsesAsRunWithTheMountedConfig() throws {
        let compose = try Compose()
        let command = try compose.command(of: "processor")
        let parsed: any ParsableCommand
        do {
            parsed = try FraudStream.parseAsRoot(command)
        } catch {
            Issue.record("processor command \(command) does not parse: \(FraudStream.message(for: error))")
            return
        }
        guard let run = parsed as? RunCommand else {
            Issue.record("processor command \(command) parses as \(type(of: parsed)), not run")
            return
        }
        do {
            try run.validate()
        } catch {
            Issue.record("processor command \(command) fails validation: \(FraudStream.message(for: error))")
        }

        // What `run` itself does: the file, then the flags over it. No FRAUDSTREAM_* variables
        // are set in compose; if some are added, check them here too.
        let (hostPath, fileSettings, fileConfiguration) = try Self.processorConfig(compose)
        #expect(hostPath.hasPrefix(Self.dockerFolder.path + "/"), "the processor's config \(hostPath) should live in Docker/")
        #expect(try compose.service("processor")["environment"] == nil,
                "processor environment variables would override fraudstream.yaml: check them in this test")
        #expect(run.config == Self.value(of: "--config", in: command))
        let effective = try fileSettings.overriding(with: run.flagSettings()).resolve()
        #expect(effective.bootstrapServers == fileConfiguration.bootstrapServers, "processor flags override the config's bootstrap")
        #expect(effective.requiredTopics == fileConfiguration.requiredTopics, "processor flags override the config's topics")
        #expect(effective.rulesFile == fileConfiguration.rulesFile, "processor flags override the config's rules_file")

        #expect(try compose.dependencies(of: "processor")["topics"] == "service_completed_successfully",
                "the processor must wait for the topics service to finish")
        #expect(Self.scalar(try compose.service("processor")["restart"]) == "unless-stopped")
    }

    // MARK: - Processor configuration

    @Test func processorConfigPointsAtTheKafkaServiceAndARulesFileInTheImage() throws {
        let compose = try Compose()
        let (_, settings, config) = try Self.processorConfig(compose)

        // Bootstrap: the kafka service's listener for containers (host = service name), not
        // the one advertised to the host as localhost.
        let listeners = try Self.kafkaAdvertisedListeners(compose)
        #expect(!config.bootstrapServerList.isEmpty)
        for server in config.bootstrapServerList {
            #expect(server.hasPrefix("kafka:") && listeners.values.contains(server),
                    "config bootstrap \(server) is not the kafka service's container listener (advertised: \(listeners))")
        }

        // Rules: the container path maps, through the Dockerfile's COPY, to a repository file.
        guard let rulesPath = settings.rulesFile else {
            Issue.record("Docker/fraudstream.yaml sets no rules_file")
            return
        }
        #expect(rulesPath.hasPrefix("/"), "rules_file \(rulesPath) should be an absolute path in the image")
        let copies = try Dockerfile().runtimeCopiesFromBuild()
        let repositoryPath: String? = copies.lazy.compactMap { copy -> String? in
            let target = copy.target.hasSuffix("/") ? String(copy.target.dropLast()) : copy.target
            guard rulesPath.hasPrefix(target + "/") else { return nil }
            return copy.repositorySource + rulesPath.dropFirst(target.count)
        }.first
        guard let repositoryPath else {
            Issue.record("rules_file \(rulesPath) is under no folder the Dockerfile's runtime stage copies (copies: \(copies.map(\.target)))")
            return
        }
        let file = Self.repositoryRoot.appendingPathComponent(repositoryPath).path
        #expect(FileManager.default.fileExists(atPath: file), "rules_file \(rulesPath) would be \(repositoryPath), which does not exist")
        do {
            let rules = try RuleSet.load(contentsOf: file)
            #expect(!rules.version.isEmpty)
        } catch {
            Issue.record("rules_file \(rulesPath) (\(repositoryPath) in the repository) does not load: \(error)")
        }
    }

    @Test func topicsServiceCreatesExactlyTheRequiredTopics() throws {
        let compose = try Compose()
        let config = try Self.processorConfig(compose).configuration
        let script = try compose.command(of: "topics").joined(separator: " ")
        let creations = script.split(separator: "\n").map(String.init).filter { $0.contains("kafka-topics.sh") && $0.contains("--create") }
        var created: [String] = []
        for line in creations {
            let words = line.split(separator: " ").map(String.init)
            guard let topic = Self.value(of: "--topic", in: words) else {
                Issue.record("topic creation without --topic: \(line)")
                continue
            }
            created.append(topic)
            #expect(words.contains("--if-not-exists"), "creating \(topic) fails when it exists (no --if-not-exists): \(line)")
            #expect(Self.value(of: "--replication-factor", in: words) == "1", "\(topic): one broker allows replication factor 1 only")
            #expect(Int(Self.value(of: "--partitions", in: words) ?? "") ?? 0 >= 1, "\(topic): no valid --partitions")
            let bootstrap = Self.value(of: "--bootstrap-server", in: words) ?? ""
            let advertised = try Self.kafkaAdvertisedListeners(compose)
            #expect(bootstrap.hasPrefix("kafka:") && advertised.values.contains(bootstrap),
                    "\(topic) is created through \(bootstrap), not the kafka service's container listener")
        }
        #expect(!script.contains("$"), "compose would interpolate $ in the topics script (write $$ for a shell variable)")
        #expect(created.count == Set(created).count, "a topic is created twice: \(created)")
        #expect(Set(created) == Set(config.requiredTopics),
                "the topics service creates \(created.sorted()), the processor requires \(config.requiredTopics.sorted())")
        #expect(Set(config.requiredTopics).count == 5, "expected five distinct topics, config requires \(config.requiredTopics)")

        let topicsImage = Self.scalar(try compose.service("topics")["image"]) ?? ""
        let kafkaImage = Self.scalar(try compose.service("kafka")["image"]) ?? ""
        #expect(topicsImage == kafkaImage, "topics uses \(topicsImage), kafka \(kafkaImage): use the same image for its tools")
        #expect(try compose.dependencies(of: "topics")["kafka"] == "service_healthy", "topics must wait for a healthy kafka")
        #expect(try compose.service("kafka")["healthcheck"] != nil, "kafka needs a healthcheck for service_healthy")
    }

    // MARK: - Kafka

    /// The kafka service's advertised listeners: name → host:port.
    static func kafkaAdvertisedListeners(_ compose: Compose) throws -> [String: String] {
        let environment = try compose.environment(of: "kafka")
        var result: [String: String] = [:]
        for entry in (environment["KAFKA_ADVERTISED_LISTENERS"] ?? "").split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).components(separatedBy: "://")
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }

    @Test func kafkaIsTheApacheImageInKRaftCombinedMode() throws {
        let compose = try Compose()
        let kafka = try compose.service("kafka")
        let image = Self.scalar(kafka["image"]) ?? ""
        #expect(image.hasPrefix("apache/kafka:"), "kafka image \(image) is not the official apache/kafka")
        #expect(!image.hasSuffix(":latest") && image.contains(":"), "pin the kafka image version, found \(image)")
        #expect(!compose.services.keys.contains { $0.lowercased().contains("zookeeper") }, "KRaft needs no ZooKeeper service")

        let environment = try compose.environment(of: "kafka")
        #expect(!environment.keys.contains { $0.contains("ZOOKEEPER") }, "kafka is configured for ZooKeeper")
        let roles = Set((environment["KAFKA_PROCESS_ROLES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(roles == ["broker", "controller"], "KAFKA_PROCESS_ROLES should be broker,controller, found \(roles)")
        #expect(environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false", "topics must come from the topics service only")
        for key in ["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] {
            #expect(environment[key] == "1", "\(key) must be 1 on a single broker, found \(environment[key] ?? "nothing")")
        }

        // Listeners: every advertised one is bound; the controller listener is the quorum's.
        var bound: [String: Int] = [:]
        for entry in (environment["KAFKA_LISTENERS"] ?? "").split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).components(separatedBy: "://")
            if parts.count == 2, let port = parts[1].split(separator: ":").last.flatMap({ Int($0) }) { bound[parts[0]] = port }
        }
        let advertised = try Self.kafkaAdvertisedListeners(compose)
        let securityMap = environment["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] ?? ""
        for (name, address) in advertised {
            let port = address.split(separator: ":").last.flatMap { Int($0) }
            #expect(bound[name] != nil && bound[name] == port, "advertised \(name)://\(address) is not bound in KAFKA_LISTENERS (\(bound))")
            #expect(securityMap.contains("\(name):"), "\(name) is missing from KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")
        }
        let controller = environment["KAFKA_CONTROLLER_LISTENER_NAMES"] ?? ""
        #expect(!controller.isEmpty && bound[controller] != nil, "controller listener \(controller) is not bound")
        #expect(advertised[controller] == nil, "the controller listener must not be advertised to clients")
        let nodeID = environment["KAFKA_NODE_ID"] ?? ""
        let hostname = Self.scalar(kafka["hostname"]) ?? "kafka"
        #expect(environment["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "\(nodeID)@\(hostname):\(bound[controller] ?? -1)",
                "quorum voters \(environment["KAFKA_CONTROLLER_QUORUM_VOTERS"] ?? "nothing") do not name node \(nodeID) at its controller listener")
        #expect((environment["CLUSTER_ID"] ?? "").count == 22, "CLUSTER_ID should be a base64url UUID (kafka-storage.sh random-uuid)")

        // The container listener is reachable as the service name; the host listener is published.
        #expect(advertised.values.contains { $0.hasPrefix("kafka:") }, "no listener is advertised as kafka:PORT for containers")
        let published = try compose.ports(of: "kafka")
        for (name, address) in advertised where address.hasPrefix("localhost:") {
            let port = Int(address.split(separator: ":").last ?? "") ?? -1
            #expect(published.contains { $0.published == port && $0.container == bound[name] },
                    "host listener \(name)://\(address) is not published as \(port):\(bound[name] ?? -1)")
        }
        #expect(published.contains { $0.published == 29092 }, "the README tells host tools to use localhost:29092")
    }

    // MARK: - Metrics and Prometheus

    @Test func prometheusScrapesTheProcessorsMetricsPort() throws {
        let compose = try Compose()
        let command = try compose.command(of: "processor")
        let (_, settings, _) = try Self.processorConfig(compose)
        guard let port = Self.value(of: "--metrics-port", in: command).flatMap({ Int($0) }) else {
            Issue.record("processor command \(command) has no numeric --metrics-port")
            return
        }
        if let filePort = settings.metricsPort {
            #expect(filePort == port, "fraudstream.yaml metrics_port \(filePort) differs from --metrics-port \(port)")
        }
        let published = try compose.ports(of: "processor")
        #expect(published.contains { $0.published == port && $0.container == port },
                "processor --metrics-port \(port) is not published as \(port):\(port) (ports: \(published))")
        #expect(try Dockerfile().exposedPorts.contains(port), "the Dockerfile does not EXPOSE the metrics port \(port)")

        // prometheus.yml: mounted where the image reads it, and its target is processor:PORT.
        let prometheus = try compose.service("prometheus")
        let image = Self.scalar(prometheus["image"]) ?? ""
        #expect(image.hasPrefix("prom/prometheus:v"), "pin the Prometheus image version, found \(image)")
        let mount = try compose.volumes(of: "prometheus").first { $0.target == "/etc/prometheus/prometheus.yml" }
        #expect(mount?.source == "./prometheus.yml", "prometheus.yml is not mounted at /etc/prometheus/prometheus.yml")
        #expect(try compose.ports(of: "prometheus").contains { $0.published == 9090 && $0.container == 9090 })

        let root = try Self.mapping(try Yams.load(yaml: try Self.text("prometheus.yml")), "prometheus.yml")
        guard let jobs = root["scrape_configs"] as? [[String: Any]] else {
            Issue.record("prometheus.yml has no scrape_configs list")
            return
        }
        var targets: [String] = []
        for job in jobs {
            for group in job["static_configs"] as? [[String: Any]] ?? [] {
                targets += (group["targets"] as? [Any] ?? []).compactMap { Self.scalar($0) }
            }
            if let path = job["metrics_path"] { #expect(Self.scalar(path) == "/metrics") }
            let interval = Self.scalar(job["scrape_interval"]) ?? Self.scalar((root["global"] as? [String: Any])?["scrape_interval"])
            #expect(interval == "5s", "scrape interval is \(interval ?? "Prometheus' default"), the README says 5 s")
        }
        #expect(targets == ["processor:\(port)"], "Prometheus scrapes \(targets), the processor serves processor:\(port)")
        #expect(compose.services["processor"] != nil, "the scrape target's host must be the processor service's name")
    }

    /// The processor's healthcheck is a bash one-liner (the image has no curl): it is run here
    /// against the same HTTP server the processor uses, answering and not answering.
    @Test func processorHealthcheckSpeaksHTTPToHealthz() throws {
        let compose = try Compose()
        let command = try compose.command(of: "processor")
        let metricsPort = Self.value(of: "--metrics-port", in: command) ?? ""
        let healthcheck = try Self.mapping(try compose.service("processor")["healthcheck"], "processor healthcheck")
        guard let test = (healthcheck["test"] as? [Any])?.compactMap({ Self.scalar($0) }), test.first == "CMD", test.count >= 2 else {
            Issue.record("processor healthcheck test should be an exec-form [\"CMD\", ...] list: \(String(describing: healthcheck["test"]))")
            return
        }
        let arguments = Array(test.dropFirst())
        #expect(arguments.first == "bash", "the runtime image (debian slim) has bash but no curl or wget: \(arguments)")
        let script = arguments.last ?? ""
        let address = "/dev/tcp/127.0.0.1/\(metricsPort)"
        #expect(script.contains(address), "the healthcheck does not probe the metrics port \(metricsPort): \(script)")
        #expect(script.contains("/healthz"))
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
            print("SKIPPED healthcheck run: no /bin/bash")
            return
        }

        let server = MetricsHTTPServer(host: "127.0.0.1", port: 0, metrics: { "" }, ready: { true })
        try server.start()
        guard let port = server.boundPort else {
            server.stop()
            throw Failure("metrics server did not report its port")
        }
        let local = ["/bin/bash"] + arguments.dropFirst().dropLast() + [script.replacingOccurrences(of: address, with: "/dev/tcp/127.0.0.1/\(port)")]
        let healthy = try Self.status(of: local)
        #expect(healthy == 0, "the healthcheck fails against a serving /healthz: \(local)")
        server.stop()
        let down = try Self.status(of: local)
        #expect(down != 0, "the healthcheck passes with nothing listening: \(local)")
    }

    /// Runs a command to completion (at most 20 s) and returns its exit status.
    static func status(of command: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            throw Failure("\(command) did not finish in 20 s")
        }
        return process.terminationStatus
    }

    // MARK: - Dockerfile

    /// `Docker/Dockerfile`, read instruction by instruction (continuation lines joined).
    struct Dockerfile {
        struct Stage {
            var name: String?
            var instructions: [(keyword: String, arguments: String)] = []
        }

        var stages: [Stage] = []

        init() throws {
            var logical: [String] = []
            var current = ""
            for raw in try DockerComposeTests.text("Dockerfile").split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if current.isEmpty && (line.isEmpty || line.hasPrefix("#")) { continue }
                if line.hasPrefix("#") { continue }
                if line.hasSuffix("\\") {
                    current += line.dropLast() + " "
                } else {
                    logical.append(current + line)
                    current = ""
                }
            }
            for line in logical {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                let keyword = parts[0].uppercased()
                let arguments = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                if keyword == "FROM" {
                    let words = arguments.split(separator: " ").map(String.init)
                    let name = words.count >= 3 && words[words.count - 2].uppercased() == "AS" ? words.last : nil
                    stages.append(Stage(name: name))
                } else if !stages.isEmpty {
                    stages[stages.count - 1].instructions.append((keyword, arguments))
                }
            }
        }

        var runtime: Stage? { stages.last }

        /// `WORKDIR` of the stage named `name` (the folder `COPY . .` fills with the repository).
        func workdir(of name: String) -> String? {
            stages.first { $0.name == name }?.instructions.last { $0.keyword == "WORKDIR" }?.arguments
        }

        /// The runtime stage's `COPY --from=build SRC DST` of repository files: the source as a
        /// path in the repository, and the target in the image.
        func runtimeCopiesFromBuild() throws -> [(repositorySource: String, target: String)] {
            guard let runtime else { throw Failure("the Dockerfile has no stages") }
            var copies: [(repositorySource: String, target: String)] = []
            for instruction in runtime.instructions where instruction.keyword == "COPY" {
                let words = instruction.arguments.split(separator: " ").map(String.init)
                guard let from = words.first(where: { $0.hasPrefix("--from=") }) else { continue }
                let stage = String(from.dropFirst("--from=".count))
                let paths = words.filter { !$0.hasPrefix("--") }
                guard paths.count == 2, let workdir = workdir(of: stage) else { continue }
                let prefix = workdir.hasSuffix("/") ? workdir : workdir + "/"
                guard paths[0].hasPrefix(prefix) else { continue }
                copies.append((String(paths[0].dropFirst(prefix.count)), paths[1]))
            }
            return copies
        }

        var exposedPorts: [Int] {
            (runtime?.instructions ?? []).filter { $0.keyword == "EXPOSE" }
                .flatMap { $0.arguments.split(separator: " ").compactMap { Int($0.split(separator: "/")[0]) } }
        }

        /// The exec-form ENTRYPOINT of the runtime stage.
        var entrypoint: [String]? {
            guard let text = runtime?.instructions.last(where: { $0.keyword == "ENTRYPOINT" })?.arguments,
                  let data = text.data(using: .utf8)
            else { return nil }
            return try? JSONDecoder().decode([String].self, from: data)
        }
    }

    @Test func dockerfileRunsFraudstreamAndShipsTheRules() throws {
        let dockerfile = try Dockerfile()
        #expect(dockerfile.stages.count >= 2, "expected a multi-stage build")
        guard let entrypoint = dockerfile.entrypoint else {
            Issue.record("the runtime stage has no exec-form ENTRYPOINT [\"...\"]")
            return
        }
        #expect(entrypoint.count == 1 && entrypoint[0].hasSuffix("/fraudstream"),
                "ENTRYPOINT \(entrypoint) should run the fraudstream binary alone, so compose commands are its arguments")
        let binaryCopied = dockerfile.runtime?.instructions.contains {
            $0.keyword == "COPY" && $0.arguments.split(separator: " ").last.map(String.init) == entrypoint[0]
        } ?? false
        #expect(binaryCopied, "the runtime stage copies nothing to the ENTRYPOINT \(entrypoint[0])")

        let copies = try dockerfile.runtimeCopiesFromBuild()
        let rules = copies.first { $0.repositorySource == "rules" || $0.repositorySource == "rules/" }
        #expect(rules?.target == "/etc/fraudstream/rules", "the runtime stage should copy rules/ to /etc/fraudstream/rules (copies: \(copies))")
        for copy in copies {
            #expect(FileManager.default.fileExists(atPath: DockerComposeTests.repositoryRoot.appendingPathComponent(copy.repositorySource).path),
                    "the Dockerfile copies \(copy.repositorySource), which the repository does not have")
        }

        // The compose services built from this Dockerfile build it from the repository root.
        let compose = try Compose()
        for name in ["simulator", "processor"] {
            let build = try Self.mapping(try compose.service(name)["build"], "\(name) build")
            #expect(Self.scalar(build["context"]) == "..", "\(name): build context should be the repository root (..)")
            #expect(Self.scalar(build["dockerfile"]) == "Docker/Dockerfile", "\(name): dockerfile should be Docker/Dockerfile")
        }
    }
}
