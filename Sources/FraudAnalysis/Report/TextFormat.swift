import FraudEngine

/// Number formatting for tables and reports: fixed decimals, no locale, no Foundation.
public enum TextFormat {
    /// `value` rounded to `digits` decimals; trailing zeros (and a trailing point) removed
    /// when `trimZeros`. Non-finite values print as `n/a`.
    public static func decimal(_ value: Double, _ digits: Int, trimZeros: Bool = true) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var fraction = String(units % UInt64(scale))
        fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }
        let sign = value < 0 && units > 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// An optional metric with 3 decimals, or `n/a`.
    public static func metric(_ value: Double?) -> String { value.map { decimal($0, 3, trimZeros: false) } ?? "n/a" }

    /// An amount with 2 decimals and thousands separators (`1,234,567.89`), or `n/a`.
    public static func amount(_ money: Money?) -> String {
        guard let money else { return "n/a" }
        let cents = (money.units + (money.units >= 0 ? 50 : -50)) / 100
        let whole = abs(cents) / 100
        let fraction = abs(cents) % 100
        var digits = Array(String(whole))
        var grouped: [Character] = []
        while digits.count > 3 {
            grouped.insert(contentsOf: [","] + digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        grouped.insert(contentsOf: digits, at: 0)
        return (cents < 0 ? "-" : "") + String(grouped) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// An integer with thousands separators.
    public static func count(_ value: Int) -> String {
        var digits = Array(String(abs(value)))
        var grouped: [Character] = []
        while digits.count > 3 {
            grouped.insert(contentsOf: [","] + digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        grouped.insert(contentsOf: digits, at: 0)
        return (value < 0 ? "-" : "") + String(grouped)
    }
}
