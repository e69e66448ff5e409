import FraudIO

/// The raw bytes of an input event and, for a Kafka message, its timestamp (a label's
/// default `reported_at`, as in the live processor).
public struct FetchedInput: Sendable {
    public var bytes: [UInt8]
    public var timestamp: Int64?

    public init(bytes: [UInt8], timestamp: Int64?) {
        self.bytes = bytes
        self.timestamp = timestamp
    }
}

/// Reads input events back at recorded positions (Kafka offsets, or file lines).
public protocol HistoryFetcher {
    /// The inputs at `positions`; a position that cannot be read is missing from the result.
    func fetch(_ positions: [InputPosition]) async throws -> [InputPosition: FetchedInput]
}

/// Reads positions from NDJSON files (a file replay's records: `topic` is the path, `offset`
/// the line number from 1).
public struct FileHistoryFetcher: HistoryFetcher {
    public init() {}

    public func fetch(_ positions: [InputPosition]) async throws -> [InputPosition: FetchedInput] {
        var result: [InputPosition: FetchedInput] = [:]
        for (path, wanted) in Dictionary(grouping: positions, by: \.topic) {
            let lines = Set(wanted.map(\.offset))
            guard let last = lines.max() else { continue }
            let reader = try NDJSONFileReader(path: path)
            while Int64(reader.lineNumber) < last,
                let bytes = try reader.nextLine({ bytes -> [UInt8]? in
                    lines.contains(Int64(reader.lineNumber)) ? Array(bytes) : nil
                })
            {
                if let bytes {
                    result[InputPosition(topic: path, partition: 0, offset: Int64(reader.lineNumber))] =
                        FetchedInput(bytes: bytes, timestamp: nil)
                }
            }
        }
        return result
    }
}
