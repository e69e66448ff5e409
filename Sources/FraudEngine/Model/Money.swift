/// An exact decimal amount of money, stored as a signed count of 1/10,000 units
/// (four decimal places cover every ISO 4217 minor unit, e.g. CLF and UYW).
///
/// Amounts are compared with rule thresholds exactly: `Money("220.01")` is always greater
/// than `Money("220")`, with none of binary floating point's rounding surprises.
/// `doubleValue` exists for the model's features only, never for comparisons that decide
/// an action.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Scaled units per whole currency unit.
    public static let scale: Int64 = 10_000
    /// Number of decimal places kept.
    public static let fractionDigits = 4

    /// The amount in 1/10,000 currency units.
    public var units: Int64

    /// Creates an amount from scaled units (1/10,000 currency units).
    public init(units: Int64) { self.units = units }

    /// Creates an amount of whole currency units.
    public init(whole: Int64) { self.units = whole * Money.scale }

    /// Parses a plain decimal string such as `"12"`, `"12.5"` or `"0.0001"`.
    /// Returns nil for signs, exponents, more than four decimal places (unless the extra
    /// digits are zeros), or values beyond the representable range.
    public init?(_ text: some StringProtocol) {
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDot = false
        var seenDigit = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                seenDigit = true
                let digit = Int64(byte - UInt8(ascii: "0"))
                if seenDot {
                    if fractionDigits < Money.fractionDigits {
                        fraction = fraction * 10 + digit
                        fractionDigits += 1
                    } else if digit != 0 {
                        return nil
                    }
                } else {
                    let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.addingReportingOverflow(digit)
                    if o1 || o2 { return nil }
                    whole = next
                }
            case UInt8(ascii: "."):
                if seenDot { return nil }
                seenDot = true
            default:
                return nil
            }
        }
        guard seenDigit else { return nil }
        while fractionDigits < Money.fractionDigits {
            fraction *= 10
            fractionDigits += 1
        }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: Money.scale)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        if o1 || o2 { return nil }
        self.units = total
    }

    /// The amount as a binary double, for model features only.
    @inlinable public var doubleValue: Double { Double(units) / Double(Money.scale) }

    /// Shortest exact decimal text: `"12.5"`, `"0.0001"`, `"220"`.
    public var description: String {
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let whole = magnitude / UInt64(Money.scale)
        var fraction = magnitude % UInt64(Money.scale)
        if fraction == 0 { return "\(sign)\(whole)" }
        var digits = Money.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var fractionText = String(fraction)
        while fractionText.utf8.count < digits { fractionText = "0" + fractionText }
        return "\(sign)\(whole).\(fractionText)"
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.units < rhs.units }
}
