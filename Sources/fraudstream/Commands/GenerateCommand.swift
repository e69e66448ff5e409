import ArgumentParser

/// `fraudstream generate`: Generate synthetic transactions and delayed fraud labels. (scaffold, being written)
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate synthetic transactions and delayed fraud labels.")

    func run() async throws {
        throw ValidationError("`generate` is not implemented yet")
    }
}
