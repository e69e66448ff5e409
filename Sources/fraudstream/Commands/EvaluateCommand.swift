import ArgumentParser

/// `fraudstream evaluate`: Run the engine prequentially over NDJSON files and print quality metrics. (scaffold, being written)
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Run the engine prequentially over NDJSON files and print quality metrics.")

    func run() async throws {
        throw ValidationError("`evaluate` is not implemented yet")
    }
}
