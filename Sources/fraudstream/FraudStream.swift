import ArgumentParser

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
}
