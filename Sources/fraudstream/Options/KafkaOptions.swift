import ArgumentParser

/// Options every command that talks to Kafka shares: where the cluster is and any
/// librdkafka property (SASL, SSL, tuning) passed through unchanged.
struct KafkaOptions: ParsableArguments {
    @Option(
        name: .customLong("bootstrap"),
        help: ArgumentHelp(
            "Kafka bootstrap servers (comma-separated host:port). The command's description says what happens without it.",
            valueName: "host:port[,host:port]"))
    var bootstrap: String?

    @Option(
        name: [.customShort("X"), .customLong("kafka-property")],
        help: ArgumentHelp(
            "A librdkafka property passed through unchanged, e.g. -X security.protocol=SASL_SSL -X sasl.mechanism=PLAIN. Repeatable; see librdkafka's CONFIGURATION.md.",
            valueName: "key=value"))
    var rawProperties: [String] = []

    /// The `-X` properties as a map; later occurrences of a key win.
    var properties: [String: String] {
        get throws {
            var result: [String: String] = [:]
            for item in rawProperties {
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw ValidationError("-X \(item): expected key=value, e.g. -X security.protocol=SSL")
                }
                result[String(item[..<equals])] = String(item[item.index(after: equals)...])
            }
            return result
        }
    }

    func validate() throws {
        _ = try properties
        if let bootstrap, bootstrap.split(separator: ",").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--bootstrap is empty: give host:port, e.g. --bootstrap kafka-1:9092")
        }
    }
}
