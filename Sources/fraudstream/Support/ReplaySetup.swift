import FraudEngine
import FraudIO
import FraudPipeline
import FraudRules
import Foundation

/// What `replay` and `audit` set up the same way: configuration, rules, the starting engine,
/// the output file.
enum ReplaySetup {
    /// The configuration file (or `$FRAUDSTREAM_CONFIG`) and the environment, resolved; a
    /// bootstrap is only needed with Kafka input (`bootstrap`, e.g. from --bootstrap).
    static func settings(config: String?, bootstrap: String? = nil) throws -> PipelineConfiguration {
        let environment = ProcessInfo.processInfo.environment
        do {
            var settings = PipelineSettings()
            if let path = config ?? environment["FRAUDSTREAM_CONFIG"] {
                settings = try PipelineSettings.load(contentsOf: path)
            }
            settings = settings.overriding(with: try PipelineSettings.fromEnvironment(environment))
            if let bootstrap { settings.bootstrap = bootstrap }
            if settings.bootstrap == nil { settings.bootstrap = "unused:9092" }  // file input: never contacted
            return try settings.resolve()
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The rules at `path` (built-in thresholds without one); with `threshold`, every score
    /// threshold replaced by alert-at-or-above it (see ``RulesFile/withSingleAlertThreshold(_:)``).
    static func rules(path: String?, threshold: Double?) throws -> RuleSet {
        do {
            let rules = try path.map { try RuleSet.load(contentsOf: $0) } ?? .builtIn
            guard let threshold else { return rules }
            let directory = path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            return try RuleSet(
                rules.file.withSingleAlertThreshold(threshold), fileName: path ?? "<built-in rules>",
                baseDirectory: directory)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The engine state of a checkpoint found by ``checkpoint(file:directory:sequence:)``
    /// at `path`: an incremental one is rebuilt from the files of its directory.
    static func restoreEngine(_ checkpoint: ProcessorCheckpoint, path: String) throws -> Engine {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            return try CheckpointStore(directory: directory).restoreEngine(checkpoint)
        } catch {
            throw CommandFailure("the engine state does not restore: \(error)")  // the error names the file
        }
    }

    /// The checkpoint named by the options, nil when none is.
    static func checkpoint(file: String?, directory: String?, sequence: UInt64?) throws
        -> (checkpoint: ProcessorCheckpoint, path: String)?
    {
        do {
            if let file { return (try CheckpointStore.load(path: file), file) }
            guard let directory else { return nil }
            if let sequence {
                let path = directory + "/" + CheckpointStore.fileName(sequence: sequence)
                guard FileManager.default.fileExists(atPath: path) else {
                    let retained = (try? CheckpointStore(directory: directory).entries().map { String($0.sequence) }) ?? []
                    throw CommandFailure(
                        "no checkpoint \(sequence) in \(directory) (retained: \(retained.isEmpty ? "none" : retained.joined(separator: ", ")))")
                }
                return (try CheckpointStore.load(path: path), path)
            }
            let store = CheckpointStore(directory: directory)
            guard let newest = try store.newestValid(onSkip: { entry, error in
                GenerateCommand.printError("skipping checkpoint \(entry.path): \(error)")
            }) else {
                throw CommandFailure("no valid checkpoint in \(directory)")
            }
            return (newest, directory + "/" + CheckpointStore.fileName(sequence: newest.sequence))
        } catch let error as CheckpointError {
            throw CommandFailure("\(error)")
        }
    }

    /// An NDJSON writer to `path` (`-`: standard output).
    static func writer(_ path: String) throws -> NDJSONFileWriter {
        do {
            return try NDJSONFileWriter(path: path == "-" ? "/dev/stdout" : path)
        } catch {
            throw CommandFailure("cannot write \(path): \(error)")
        }
    }

    /// Wall-clock now in Unix milliseconds (for `processed_at` and run ids only).
    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
