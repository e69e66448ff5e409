import Foundation
import FraudEngine
import FraudPipeline
import Testing

extension FraudPipelineTests {
    /// Configuration sources: file < environment < flags; located errors.
    @Suite struct ConfigurationTests {
        static let file = """
            # a comment
            bootstrap: file-broker:9092
            group_id: file-group
            topics:
              transactions: file-tx
              alerts: file-alerts
            decision_log: true
            engine:
              seed: 7
              label_policy: mature_after
              maturity_days: 14
            kafka:
              security.protocol: SASL_SSL
              sasl.mechanism: PLAIN
              linger.ms: 10
            """

        @Test func flagOverridesEnvironmentOverridesFile() throws {
            let fileLayer = try PipelineSettings.parse(yaml: Self.file, file: "test.yaml")
            let envLayer = try PipelineSettings.fromEnvironment([
                "FRAUDSTREAM_BOOTSTRAP": "env-broker:9092",
                "FRAUDSTREAM_GROUP_ID": "env-group",
                "FRAUDSTREAM_DECISION_LOG": "false",
                "FRAUDSTREAM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
                "PATH": "/usr/bin",
            ])
            var flagLayer = PipelineSettings()
            flagLayer.bootstrap = "flag-broker:9092"
            flagLayer.kafka = ["linger.ms": "1"]

            let c = try fileLayer.overriding(with: envLayer).overriding(with: flagLayer).resolve()
            #expect(c.bootstrapServers == "flag-broker:9092")  // flag > env > file
            #expect(c.groupID == "env-group")  // env > file
            #expect(c.topics.transactions == "file-tx")  // file > default
            #expect(c.topics.alerts == "file-alerts")
            #expect(c.topics.labels == "labels")  // default
            #expect(c.decisionLog == false)
            #expect(c.engine.seed == 7)
            #expect(c.engine.labelPolicy == .matureAfter(days: 14))
            #expect(c.kafkaProperties == ["security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512", "linger.ms": "1"])

            let fileOnly = try fileLayer.resolve()
            #expect(fileOnly.bootstrapServers == "file-broker:9092")
            #expect(fileOnly.groupID == "file-group")
            #expect(fileOnly.decisionLog == true)
        }

        @Test func exampleFileIsValid() throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let path = root.appendingPathComponent("config/fraudstream.example.yaml").path
            let c = try PipelineSettings.load(contentsOf: path).resolve()
            #expect(c.bootstrapServerList == ["kafka-1:9092", "kafka-2:9092"])
            #expect(c.topics == PipelineTopics())
            #expect(c.engine.seed == 42 && c.decisionLog)
            #expect(c.kafkaProperties == ["client.id": "fraudstream"])
        }

        @Test func assignmentFromEachLayerAndItsConflictWithExactlyOnce() throws {
            let file = try PipelineSettings.parse(yaml: "bootstrap: b:9092\nassignment: all_partitions\n", file: "c.yaml")
            #expect(try file.resolve().assignment == .allPartitions)
            #expect(try PipelineSettings.parse(yaml: "bootstrap: b:9092\n", file: "c.yaml").resolve().assignment == .group)
            let env = try PipelineSettings.fromEnvironment(["FRAUDSTREAM_ASSIGNMENT": "group"])
            #expect(try file.overriding(with: env).resolve().assignment == .group)

            let typo = try #require(throws: ConfigurationError.self) {
                try PipelineSettings.parse(yaml: "bootstrap: b:9092\nassignment: all\n", file: "c.yaml")
            }
            #expect(typo.line == 2 && typo.key == "assignment" && typo.message.contains("all_partitions"))
            var badEnv = try PipelineSettings.fromEnvironment(["FRAUDSTREAM_ASSIGNMENT": "static", "FRAUDSTREAM_BOOTSTRAP": "b:1"])
            let unknownAssignment = try #require(throws: ConfigurationError.self) { try badEnv.resolve() }
            #expect(unknownAssignment.key == "assignment")
            #expect(unknownAssignment.message == #"unknown value "static": use group or all_partitions"#)
            let badReset = try PipelineSettings.fromEnvironment(["FRAUDSTREAM_AUTO_OFFSET_RESET": "middle", "FRAUDSTREAM_BOOTSTRAP": "b:1"])
            let unknownReset = try #require(throws: ConfigurationError.self) { try badReset.resolve() }
            #expect(unknownReset.key == "auto_offset_reset")
            #expect(unknownReset.message == #"unknown value "middle": use earliest or latest"#)

            badEnv.assignment = "all_partitions"
            badEnv.exactlyOnce = true
            let conflict = try #require(throws: ConfigurationError.self) { try badEnv.resolve() }
            #expect(conflict.key == "assignment" && conflict.message.contains("exactly_once"))
        }

        @Test func missingBootstrapIsAClearError() {
            #expect(throws: ConfigurationError.self) { try PipelineSettings().resolve() }
        }

        @Test func badFileNamesFileLineAndKey() throws {
            let unknown = """
                bootstrap: b:9092
                engine:
                  seed: 1
                  sede: 2
                """
            let e1 = try #require(throws: ConfigurationError.self) { try PipelineSettings.parse(yaml: unknown, file: "conf.yaml") }
            #expect(e1.source == "conf.yaml" && e1.line == 4 && e1.key == "engine.sede")
            #expect(e1.description.hasPrefix("conf.yaml:4: engine.sede: unknown key"))

            let wrongType = """
                bootstrap: b:9092
                decision_log: maybe
                """
            let e2 = try #require(throws: ConfigurationError.self) { try PipelineSettings.parse(yaml: wrongType, file: "conf.yaml") }
            #expect(e2.line == 2 && e2.key == "decision_log")

            let notAMap = """
                bootstrap: b:9092
                topics: [a, b]
                """
            let e3 = try #require(throws: ConfigurationError.self) { try PipelineSettings.parse(yaml: notAMap, file: "conf.yaml") }
            #expect(e3.line == 2 && e3.key == "topics")

            let syntax = "bootstrap: [unclosed\n"
            let e4 = try #require(throws: ConfigurationError.self) { try PipelineSettings.parse(yaml: syntax, file: "conf.yaml") }
            #expect(e4.source == "conf.yaml" && e4.line != nil)
            #expect(!e4.message.contains("unclosed\n"), "the message names the problem, not the whole text: \(e4)")

            let badSeed = try #require(throws: ConfigurationError.self) {
                try PipelineSettings.fromEnvironment(["FRAUDSTREAM_ENGINE_SEED": "abc"])
            }
            #expect(badSeed.key == "FRAUDSTREAM_ENGINE_SEED")
        }

        @Test func relativeRulesFileIsRelativeToTheConfigFile() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fs-config-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("fraudstream.yaml").path
            try "bootstrap: b:9092\nrules_file: rules.yaml\n".write(toFile: path, atomically: true, encoding: .utf8)
            let settings = try PipelineSettings.load(contentsOf: path)
            #expect(settings.rulesFile == folder.appendingPathComponent("rules.yaml").path)
            let missing = try #require(throws: ConfigurationError.self) { try PipelineSettings.load(contentsOf: folder.path + "/nope.yaml") }
            #expect(missing.source.hasSuffix("nope.yaml"))
        }
    }
}
