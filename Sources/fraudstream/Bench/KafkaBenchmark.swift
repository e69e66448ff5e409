import ArgumentParser

/// `fraudstream kafka`: Measure produce and consume throughput through the embedded broker. (scaffold, being written)
struct KafkaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kafka", abstract: "Measure produce and consume throughput through the embedded broker.")

    func run() async throws {
        throw ValidationError("`kafka` is not implemented yet")
    }
}
