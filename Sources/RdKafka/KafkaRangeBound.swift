import Foundation

/// Where a range of a partition starts or ends, for ``KafkaRangeReader/resolve(topics:from:to:configuration:timeout:logger:)``.
///
/// Each bound is turned into an absolute offset per partition when the range is resolved; the
/// resolved ranges do not move afterwards (messages written later are not read).
public enum KafkaRangeBound: Sendable, Hashable, CustomStringConvertible {
    /// The oldest message still in the partition (its low watermark, the log start offset).
    case beginning
    /// The high watermark at resolution time: the offset the next message written will get.
    case end
    /// An absolute offset, the same for every partition.
    case offset(Int64)
    /// The first message whose timestamp is at or after this time (milliseconds since the Unix
    /// epoch), found with offsets-for-times; a time after the partition's last message resolves
    /// to the high watermark. As an end bound it excludes messages at or after the time (for
    /// timestamps that increase with the offset, as create times of one producer do).
    case timestamp(Int64)

    /// `beginning`, `end`, `offset 42` or `timestamp 1700000000000 (2023-11-14T22:13:20.000Z)`.
    public var description: String {
        switch self {
        case .beginning: return "beginning"
        case .end: return "end"
        case .offset(let offset): return "offset \(offset)"
        case .timestamp(let ms): return "timestamp \(ms) (\(Self.iso8601(ms)))"
        }
    }

    static func iso8601(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// Rejects negative offsets and bounds whose order is wrong whatever the partition holds.
    static func check(from: KafkaRangeBound, to: KafkaRangeBound) throws(KafkaError) {
        for bound in [from, to] {
            if case .offset(let offset) = bound, offset < 0 {
                throw KafkaError(code: .invalidArgument, message: "invalid range bound: negative \(bound)")
            }
        }
        switch (from, to) {
        case (.offset(let a), .offset(let b)) where a > b,
             (.timestamp(let a), .timestamp(let b)) where a > b:
            throw KafkaError(code: .invalidArgument, message: "reversed range: from \(from) is after to \(to)")
        default:
            break
        }
    }
}
