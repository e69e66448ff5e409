import Foundation

/// One start of a live processor: the identity its decision records (`run`) and its
/// checkpoints carry, and where its engine state came from.
///
/// A run's engine is one continuous sequence of events from its origin (a checkpoint, or
/// nothing) on; `state_version` numbers that sequence. Two runs can reuse the same state
/// versions (a restart re-processes what followed its checkpoint, and every member of a
/// consumer group has an engine of its own), so an audit needs the run to know which
/// sequence a decision belongs to and the origin to know where that sequence starts.
///
/// With a checkpoint directory, each run writes a manifest, `runs/<id>.json`, before it
/// processes anything: the audit trail of starts that `fraudstream audit` follows.
public struct ProcessorRun: Sendable, Equatable, Codable {
    /// The checkpoint a run restored.
    public struct Origin: Sendable, Equatable, Codable {
        /// The run that wrote the checkpoint (empty for a format-1 checkpoint).
        public var run: String
        /// The checkpoint's sequence number (its file name).
        public var sequence: UInt64
        /// Events the restored engine had applied.
        public var stateVersion: UInt64

        /// Creates an origin.
        public init(run: String, sequence: UInt64, stateVersion: UInt64) {
            self.run = run
            self.sequence = sequence
            self.stateVersion = stateVersion
        }

        enum CodingKeys: String, CodingKey {
            case run, sequence
            case stateVersion = "state_version"
        }
    }

    /// `r<UTC yyyyMMdd'T'HHmmss'Z'>-<8 hex digits>`, unique per start.
    public var id: String
    /// Wall-clock start, Unix milliseconds (metadata only; never reaches a score).
    public var startedAt: Int64
    /// Consumer group.
    public var groupID: String
    /// ``ModelVersion/prefix`` of the engine configuration.
    public var modelVersion: String
    /// The restored checkpoint; nil when the run started from an empty engine.
    public var origin: Origin?

    /// Creates a run record.
    public init(id: String, startedAt: Int64, groupID: String, modelVersion: String, origin: Origin?) {
        self.id = id
        self.startedAt = startedAt
        self.groupID = groupID
        self.modelVersion = modelVersion
        self.origin = origin
    }

    /// State version of the run's first event: its origin's, or 0.
    public var firstStateVersion: UInt64 { origin?.stateVersion ?? 0 }

    enum CodingKeys: String, CodingKey {
        case id
        case startedAt = "started_at"
        case groupID = "group_id"
        case modelVersion = "model_version"
        case origin
    }

    /// A fresh id for a run starting at `millis`.
    public static func makeID(startedAt millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let s = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var random = SystemRandomNumberGenerator()
        let suffix = String(UInt32.random(in: 0...UInt32.max, using: &random), radix: 16)
        return "r" + pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2)
            + pad(c.second, 2) + "Z-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }

    /// The manifests' directory inside a checkpoint directory.
    public static func manifestDirectory(in checkpointDirectory: String) -> String {
        checkpointDirectory + "/runs"
    }

    /// Writes `runs/<id>.json` into `checkpointDirectory` (atomically, synced).
    public func writeManifest(in checkpointDirectory: String) throws {
        let directory = Self.manifestDirectory(in: checkpointDirectory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        let path = directory + "/" + id + ".json"
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        if rename(temporary, path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Every manifest in `checkpointDirectory`, oldest start first; unreadable ones are
    /// reported in `problems` (path: reason), not thrown.
    public static func loadManifests(in checkpointDirectory: String) -> (runs: [ProcessorRun], problems: [String]) {
        let directory = manifestDirectory(in: checkpointDirectory)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        var runs: [ProcessorRun] = []
        var problems: [String] = []
        for name in names {
            let path = directory + "/" + name
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                runs.append(try JSONDecoder().decode(ProcessorRun.self, from: data))
            } catch {
                problems.append("\(path): \(error)")
            }
        }
        runs.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        return (runs, problems)
    }
}
