/// What `tune --by` splits the decisions by: one table and one threshold per value.
public enum SegmentDimension: String, Hashable, Sendable, CaseIterable {
    /// The transaction's channel (`card_present`, `ecommerce`, `atm`, …).
    case channel
    /// The merchant's country (ISO 3166-1 alpha-2).
    case country

    /// Parses a `--by` value.
    /// - Throws: ``AnalysisError`` naming the value and the accepted ones.
    public init(argument: String) throws(AnalysisError) {
        guard let value = SegmentDimension(rawValue: argument) else {
            throw AnalysisError("unknown --by '\(argument)': expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    /// The record's value of this dimension, nil when it has none.
    public func value(of record: AnalysedDecision) -> String? {
        switch self {
        case .channel: record.channel
        case .country: record.country
        }
    }

    /// The name shown for records without a value.
    public static let noValue = "(none)"
}
