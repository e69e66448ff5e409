import ArgumentParser
import Foundation

/// The `fraudstream` command line: real-time fraud detection over Kafka.
@main
struct FraudStream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fraudstream",
        abstract: "Real-time fraud detection over Kafka: online learning, explanations, exact replay.",
        discussion: """
            FraudStream consumes payment transactions from Kafka, scores each one with an \
            online-learning engine (streaming logistic regression plus anomaly detection), \
            and emits alerts. Run `fraudstream <command> --help` for each command.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, RunCommand.self, BrokerCommand.self, RoundTripCommand.self, GenerateCommand.self, EvaluateCommand.self,
            CheckpointCommand.self, ReplayCommand.self, AuditCommand.self, TuneCommand.self, CompareCommand.self, BenchCommand.self,
        ]
    )

    /// Parses and runs the command; a parse failure names an unknown option first, whatever else
    /// is missing (see `UnknownOptionCheck`).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) != .success,
                let unknown = UnknownOptionCheck.firstUnknown(in: arguments, toolDescription: _dumpHelp())
            {
                let name = unknown.command.joined(separator: " ")
                FileHandle.standardError.write(Data(
                    "Error: Unknown option '\(unknown.option)' for '\(name)'.\n  See '\(name) --help' for its options.\n".utf8))
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
