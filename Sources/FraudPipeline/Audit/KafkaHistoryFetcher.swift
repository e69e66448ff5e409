import RdKafka

/// Reads recorded positions back from Kafka: for each partition the offsets from the lowest
/// to the highest wanted (``RdKafka/KafkaRangeReader``: no consumer group, nothing
/// committed), keeping the wanted messages. Data deleted by retention is an error.
public struct KafkaHistoryFetcher: HistoryFetcher {
    let configuration: KafkaConfiguration
    let timeout: Duration

    /// - Parameter timeout: bound on metadata and watermark requests (an unreachable
    ///   cluster fails within it).
    public init(configuration: KafkaConfiguration, timeout: Duration = .seconds(10)) {
        self.configuration = configuration
        self.timeout = timeout
    }

    public func fetch(_ positions: [InputPosition]) async throws -> [InputPosition: FetchedInput] {
        let wanted = Set(positions)
        var ranges: [KafkaPartitionRange] = []
        for (partition, group) in Dictionary(grouping: wanted, by: { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }) {
            let offsets = group.map(\.offset)
            ranges.append(KafkaPartitionRange(topicPartition: partition, start: offsets.min()!, end: offsets.max()! + 1))
        }
        guard !ranges.isEmpty else { return [:] }
        let reader = try KafkaRangeReader(configuration: configuration, ranges: ranges.sorted(), timeout: timeout)
        var result: [InputPosition: FetchedInput] = [:]
        do {
            for try await message in reader.messages {
                let position = InputPosition(topic: message.topic, partition: message.partition, offset: message.offset)
                guard wanted.contains(position) else { continue }
                result[position] = FetchedInput(bytes: message.value.map { Array($0) } ?? [], timestamp: message.timestamp)
            }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        return result
    }
}

/// Reads each position from a file when its `topic` is a file path (a file replay's records
/// name absolute paths; Kafka topic names cannot contain `/`), from Kafka otherwise.
public struct CombinedHistoryFetcher: HistoryFetcher {
    let kafka: KafkaHistoryFetcher?
    let isFile: @Sendable (String) -> Bool

    /// - Parameters:
    ///   - kafka: for Kafka positions; nil when no cluster was given (a Kafka position is then an error).
    ///   - isFile: whether a topic names a file.
    public init(kafka: KafkaHistoryFetcher?, isFile: @escaping @Sendable (String) -> Bool) {
        self.kafka = kafka
        self.isFile = isFile
    }

    public func fetch(_ positions: [InputPosition]) async throws -> [InputPosition: FetchedInput] {
        let files = positions.filter { isFile($0.topic) }
        let topics = positions.filter { !isFile($0.topic) }
        var result = try await FileHistoryFetcher().fetch(files)
        if !topics.isEmpty {
            guard let kafka else {
                throw AuditError(
                    "the events are on Kafka (e.g. \(topics[0])): give the cluster with --bootstrap (and -X properties)")
            }
            result.merge(try await kafka.fetch(topics)) { a, _ in a }
        }
        return result
    }
}
