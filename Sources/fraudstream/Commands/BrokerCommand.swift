import ArgumentParser

/// `fraudstream broker`: Run the embedded Kafka broker (librdkafka mock cluster) on loopback. (scaffold, being written)
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "broker", abstract: "Run the embedded Kafka broker (librdkafka mock cluster) on loopback.")

    func run() async throws {
        throw ValidationError("`broker` is not implemented yet")
    }
}
