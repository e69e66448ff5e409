/// A JSON number held exactly, as a sign, decimal digits and a power of ten.
///
/// JSON Schema compares numbers by mathematical value: `1`, `1.0` and `10e-1` are equal,
/// `0.1 + 0.2`-style rounding never enters a `minimum` or `multipleOf` check, and a number
/// with a zero fraction counts as an integer.
public struct JSONNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// True for values below zero (never for zero).
    public let isNegative: Bool
    /// Significant decimal digits (0–9), without leading or trailing zeros; empty for zero.
    public let digits: [UInt8]
    /// Power of ten: the value is `digits` read as an integer × 10^exponent.
    public let exponent: Int

    /// Creates a number from its parts, normalising digits and sign.
    public init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        var digits = digits
        var exponent = exponent
        var leading = 0
        while leading < digits.count && digits[leading] == 0 { leading += 1 }
        digits.removeFirst(leading)
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { exponent = 0 }
        self.isNegative = isNegative && !digits.isEmpty
        self.digits = digits
        self.exponent = exponent
    }

    /// Creates a number from an integer.
    public init(_ value: Int) {
        let digits = String(value.magnitude).utf8.map { $0 - UInt8(ascii: "0") }
        self.init(isNegative: value < 0, digits: digits, exponent: 0)
    }

    /// The exact decimal value of the shortest text that round-trips `value` (`0.1` → 0.1);
    /// nil for infinities and NaN, which JSON cannot hold. For numbers from YAML and the like.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        var text = value.description  // "1e-05", "12.5", "-0.0", "1e+16"
        if let plus = text.firstIndex(of: "+") { text.remove(at: plus) }
        self.init(text)
    }

    /// Parses JSON number text (`-12.5e3`); nil if it is not a JSON number.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        var digits: [UInt8] = []
        let integerPart = bytes.prefix(while: isDigit)
        guard !integerPart.isEmpty, integerPart.count == 1 || integerPart.first != UInt8(ascii: "0") else { return nil }
        digits.append(contentsOf: integerPart.map { $0 - UInt8(ascii: "0") })
        bytes = bytes.dropFirst(integerPart.count)
        var exponent = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let fraction = bytes.prefix(while: isDigit)
            guard !fraction.isEmpty else { return nil }
            digits.append(contentsOf: fraction.map { $0 - UInt8(ascii: "0") })
            exponent -= fraction.count
            bytes = bytes.dropFirst(fraction.count)
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            let exponentDigits = bytes.prefix(while: isDigit)
            // Nine digits bound the exponent far beyond any meaningful number while keeping Int arithmetic safe.
            guard !exponentDigits.isEmpty, exponentDigits.count <= 9 else { return nil }
            var value = 0
            for d in exponentDigits { value = value * 10 + Int(d - UInt8(ascii: "0")) }
            exponent += exponentNegative ? -value : value
            bytes = bytes.dropFirst(exponentDigits.count)
        }
        guard bytes.isEmpty else { return nil }
        self.init(isNegative: negative, digits: digits, exponent: exponent)
    }

    /// True when the value has no fractional part (JSON Schema's `integer`).
    public var isInteger: Bool { digits.isEmpty || exponent >= 0 }

    /// True for zero.
    public var isZero: Bool { digits.isEmpty }

    /// The nearest binary double.
    public var doubleValue: Double { Double(description) ?? .nan }

    /// Canonical decimal text: `-12.5`, `1000`, `0.0001`, `1e+400` style only when huge or tiny.
    public var description: String {
        if digits.isEmpty { return "0" }
        let sign = isNegative ? "-" : ""
        let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        let pointPosition = digits.count + exponent  // digits before the decimal point
        if exponent >= 0 && pointPosition <= 21 {
            return sign + text + String(repeating: "0", count: exponent)
        }
        if exponent < 0 && pointPosition > 0 {
            let split = text.index(text.startIndex, offsetBy: pointPosition)
            return sign + text[..<split] + "." + text[split...]
        }
        if exponent < 0 && pointPosition > -6 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + text
        }
        let first = text.prefix(1)
        let rest = text.dropFirst()
        return sign + first + (rest.isEmpty ? "" : "." + rest) + "e" + String(pointPosition - 1)
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let magnitudeLess = compareMagnitude(lhs, rhs)
        return lhs.isNegative ? magnitudeLess == .greater : magnitudeLess == .less
    }

    private enum Order { case less, equal, greater }

    private static func compareMagnitude(_ a: JSONNumber, _ b: JSONNumber) -> Order {
        if a.digits.isEmpty || b.digits.isEmpty {
            if a.digits.isEmpty && b.digits.isEmpty { return .equal }
            return a.digits.isEmpty ? .less : .greater
        }
        let aPosition = a.digits.count + a.exponent
        let bPosition = b.digits.count + b.exponent
        if aPosition != bPosition { return aPosition < bPosition ? .less : .greater }
        for (x, y) in zip(a.digits, b.digits) where x != y { return x < y ? .less : .greater }
        if a.digits.count == b.digits.count { return .equal }
        return a.digits.count < b.digits.count ? .less : .greater
    }

    /// True when `self / divisor` is an integer, computed exactly. `divisor` must be > 0.
    /// Divisors with more than 18 significant digits fall back to binary floating point.
    public func isMultiple(of divisor: JSONNumber) -> Bool {
        if digits.isEmpty { return true }
        guard !divisor.digits.isEmpty else { return false }
        let common = min(exponent, divisor.exponent)
        // self = A·10^(ea−common)·10^common, divisor = B·10^(eb−common)·10^common.
        let divisorScale = divisor.exponent - common
        guard divisor.digits.count + divisorScale <= 18 else {
            let quotient = doubleValue / divisor.doubleValue
            return quotient.isFinite && quotient == quotient.rounded()
        }
        var b: UInt64 = 0
        for d in divisor.digits { b = b * 10 + UInt64(d) }
        for _ in 0..<divisorScale { b *= 10 }
        var remainder: UInt64 = 0
        for d in digits { remainder = (remainder * 10 + UInt64(d)) % b }
        // b ≤ 10^18 < 2^60 has at most 60 factors of 2 or 5, so if 64 more factors of ten do
        // not clear the remainder, no number of them will.
        for _ in 0..<min(exponent - common, 64) {
            remainder = remainder * 10 % b
            if remainder == 0 { break }
        }
        return remainder == 0
    }
}
