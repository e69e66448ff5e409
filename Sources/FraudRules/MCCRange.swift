/// A merchant category code or an inclusive range of them, written `5411` or `"5960-5969"`.
public struct MCCRange: Hashable, Sendable, CustomStringConvertible {
    /// First code (0…9999).
    public var lowerBound: Int
    /// Last code (0…9999), ≥ `lowerBound`.
    public var upperBound: Int

    /// A single code.
    public init(_ code: Int) {
        lowerBound = code
        upperBound = code
    }

    /// An inclusive range of codes.
    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Parses `"5960-5969"` (or `"5411"`); nil if malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
              let lower = Int(parts[0]), let upper = Int(parts[parts.count - 1]), lower >= 0, upper >= 0
        else { return nil }
        self.init(lower, upper)
    }

    /// True for a single code.
    public var isSingleCode: Bool { lowerBound == upperBound }

    /// `5411` or `5960-5969`.
    public var description: String { isSingleCode ? String(lowerBound) : "\(lowerBound)-\(upperBound)" }
}
