import Foundation

/// One audited decision: the record, the re-derived record, and how they differ.
public struct AuditEntry: Sendable {
    /// What the decision log holds.
    public var recorded: DecisionRecord
    /// The re-derived record's bytes (nil when the engine refused the transaction).
    public var replayed: [UInt8]?
    /// Field by field, what differs (empty: reproduced byte for byte).
    public var differences: [String]

    /// Whether the decision was reproduced exactly.
    public var matches: Bool { differences.isEmpty }

    /// The re-derived record, decoded (nil when there is none).
    public var replayedRecord: DecisionRecord? {
        replayed.flatMap { try? DecisionRecord.decode($0, location: "replayed") }
    }

    /// Field-level differences between two records' JSON bytes, in the record's field order:
    /// `score: recorded 0.91, replayed 0.83`.
    static func differences(_ recorded: [UInt8], _ replayed: [UInt8]) -> [String] {
        guard let a = try? JSONSerialization.jsonObject(with: Data(recorded)) as? [String: Any],
            let b = try? JSONSerialization.jsonObject(with: Data(replayed)) as? [String: Any]
        else { return ["the records differ (one is not a JSON object)"] }
        var keys: [String] = []
        for key in Self.keyOrder(recorded) + Self.keyOrder(replayed) where !keys.contains(key) { keys.append(key) }
        var result: [String] = []
        for key in keys {
            let x = Self.canonical(a[key])
            let y = Self.canonical(b[key])
            if x != y { result.append("\(key): recorded \(x), replayed \(y)") }
        }
        // Same values, different bytes (e.g. number formatting, key order, whitespace).
        return result.isEmpty ? ["the records hold the same values but differ in their bytes"] : result
    }

    private static func canonical(_ value: Any?) -> String {
        guard let value else { return "(absent)" }
        if value is NSNull { return "null" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Top-level keys in written order.
    private static func keyOrder(_ bytes: [UInt8]) -> [String] {
        var keys: [String] = []
        var depth = 0
        var i = 0
        var inString = false
        var stringStart = 0
        while i < bytes.count {
            let c = bytes[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") {
                    inString = false
                    // A key: at depth 1 and followed by a colon.
                    var j = i + 1
                    while j < bytes.count, bytes[j] == UInt8(ascii: " ") { j += 1 }
                    if depth == 1, j < bytes.count, bytes[j] == UInt8(ascii: ":") {
                        keys.append(String(decoding: bytes[(stringStart + 1)..<i], as: UTF8.self))
                    }
                }
            } else if c == UInt8(ascii: "\"") {
                inString = true
                stringStart = i
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
            }
            i += 1
        }
        return keys
    }
}

/// The result of an audit.
public struct AuditReport: Sendable {
    /// How one run's decisions were re-derived.
    public struct RunSummary: Sendable {
        /// The run.
        public var run: String
        /// Where its replay started, in words.
        public var base: String
        /// State version of the base.
        public var firstVersion: UInt64
        /// State version of the last audited decision.
        public var lastVersion: UInt64
        /// Labels applied on the way.
        public var labelsApplied = 0
        /// Decisions between the base and the selection, re-derived and compared.
        public var precedingChecked = 0
        /// Of those, how many differed (the state had diverged before the selection).
        public var precedingMismatches = 0

        public init(run: String, base: String, firstVersion: UInt64, lastVersion: UInt64) {
            self.run = run
            self.base = base
            self.firstVersion = firstVersion
            self.lastVersion = lastVersion
        }
    }

    /// The audited decisions, by event time.
    public var entries: [AuditEntry] = []
    /// Per run.
    public var runs: [RunSummary] = []

    /// Audited decisions that were not reproduced.
    public var mismatches: Int { entries.filter { !$0.matches }.count }
    /// Audited decisions reproduced exactly.
    public var reproduced: Int { entries.count - mismatches }

    public init() {}
}
