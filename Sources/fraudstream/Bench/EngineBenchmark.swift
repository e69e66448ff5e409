import ArgumentParser

/// `fraudstream engine`: Measure decode + features + score + learn throughput on one core. (scaffold, being written)
struct EngineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine", abstract: "Measure decode + features + score + learn throughput on one core.")

    func run() async throws {
        throw ValidationError("`engine` is not implemented yet")
    }
}
