import FraudEngine

/// An inclusive range of exact amounts: `min <= amount <= max`, either end optional.
///
/// Amounts are compared exactly as ``Money`` (1/10,000 units), in the transaction's own
/// currency: add a `currency` condition when transactions arrive in several currencies.
public struct AmountRange: Hashable, Sendable {
    /// Smallest matching amount (inclusive), or no lower bound.
    public var min: Money?
    /// Largest matching amount (inclusive), or no upper bound.
    public var max: Money?

    /// Creates a range; at least one end should be given.
    public init(min: Money? = nil, max: Money? = nil) {
        self.min = min
        self.max = max
    }

    /// True when `amount` lies in the range.
    @inlinable public func contains(_ amount: Money) -> Bool {
        if let min, amount < min { return false }
        if let max, amount > max { return false }
        return true
    }
}
