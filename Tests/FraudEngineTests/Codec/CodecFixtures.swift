@testable import FraudEngine

/// A tiny seeded generator (SplitMix64) so randomized codec tests are reproducible.
struct CodecTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builders for test messages and error capture.
enum CodecFixtures {
    /// Required transaction fields as raw JSON values, in order.
    static let requiredFields: [(String, String)] = [
        ("transaction_id", #""tx-1""#),
        ("card_id", #""card-1""#),
        ("merchant_id", #""m-1""#),
        ("amount", "12.5"),
        ("currency", #""EUR""#),
        ("timestamp", #""2026-04-01T12:00:00.123Z""#),
    ]

    /// A transaction message: the required fields with some replaced or removed, plus extras.
    static func transaction(
        replacing replacements: [String: String] = [:], removing removed: Set<String> = [],
        adding extra: [(String, String)] = []
    ) -> String {
        var members: [String] = []
        for (name, value) in requiredFields where !removed.contains(name) {
            members.append("\"\(name)\":\(replacements[name] ?? value)")
        }
        for (name, value) in extra { members.append("\"\(name)\":\(value)") }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// The error decoding `json` as a transaction, or nil when it decodes.
    static func transactionError(_ json: String, limits: DecoderLimits = .default) -> DecodeError? {
        do {
            _ = try TransactionDecoder(limits: limits).decode(json)
            return nil
        } catch {
            return error
        }
    }

    /// The error decoding `bytes` as a transaction, or nil when it decodes.
    static func transactionError(bytes: [UInt8]) -> DecodeError? {
        do {
            _ = try TransactionDecoder().decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The error decoding `json` as a label, or nil when it decodes.
    static func labelError(_ json: String, defaultReportedAt: EpochMillis? = nil) -> DecodeError? {
        do {
            _ = try LabelDecoder().decode(json, defaultReportedAt: defaultReportedAt)
            return nil
        } catch {
            return error
        }
    }

    /// Byte offset of the first occurrence of `needle` in `haystack` (UTF-8), or -1.
    static func offset(of needle: String, in haystack: String) -> Int {
        let h = Array(haystack.utf8)
        let n = Array(needle.utf8)
        guard n.count <= h.count else { return -1 }
        for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { return i }
        return -1
    }

    /// Byte offset of the last occurrence of `needle` in `haystack` (UTF-8), or -1.
    static func lastOffset(of needle: String, in haystack: String) -> Int {
        let h = Array(haystack.utf8)
        let n = Array(needle.utf8)
        guard n.count <= h.count else { return -1 }
        for i in stride(from: h.count - n.count, through: 0, by: -1) where Array(h[i..<(i + n.count)]) == n { return i }
        return -1
    }
}
