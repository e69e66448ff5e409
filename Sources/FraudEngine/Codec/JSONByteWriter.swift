/// Appends JSON tokens to a reusable byte buffer: every encoder of the project (transactions,
/// labels, alerts, decision records) writes through it, without Foundation or intermediate
/// strings.
public enum JSONByteWriter {
    /// Appends `"key":`.
    @inline(__always)
    public static func appendKey(_ key: StaticString, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON string literal, escaping `"`, `\` and control characters; other
    /// characters are written as raw UTF-8.
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendString($0, to: &out) }
    }

    /// Appends a JSON string literal from UTF-8 bytes (escaped as ``appendString(_:to:)-(String,_)``).
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            runStart = i + 1
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a decimal integer.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, minimumDigits: 1, to: &out)
    }

    /// Appends an unsigned decimal integer.
    public static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        appendDigits(value, minimumDigits: 1, to: &out)
    }

    /// Appends the decimal digits of `value`, left-padded with zeros to `minimumDigits`.
    public static func appendDigits(_ value: UInt64, minimumDigits: Int, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch
        withUnsafeMutableBytes(of: &digits) { scratch in
            var v = value
            var n = 0
            repeat {
                scratch[31 - n] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
                n += 1
            } while v != 0
            while n < minimumDigits && n < 32 {
                scratch[31 - n] = UInt8(ascii: "0")
                n += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(32 - n)...]))
        }
    }

    /// Appends an exact decimal amount in its shortest form (`12.5`, `0.0001`, `220`).
    public static func appendMoney(_ money: Money, to out: inout [UInt8]) {
        if money.units < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = money.units.magnitude
        let scale = UInt64(Money.scale)
        appendDigits(magnitude / scale, minimumDigits: 1, to: &out)
        var fraction = magnitude % scale
        guard fraction != 0 else { return }
        var digits = Money.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        out.append(UInt8(ascii: "."))
        appendDigits(fraction, minimumDigits: digits, to: &out)
    }

    /// Appends a double in the shortest form that parses back to the same value (`0.25`,
    /// `1e-05`, `3` for an integral value); `null` for NaN or an infinity, which JSON cannot
    /// represent.
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            appendRaw("null", to: &out)
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            appendInteger(Int64(value), to: &out)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends `value` rounded to 6 decimals, without trailing zeros (`1.5`, `-0.031416`,
    /// `0`): for explanatory figures, where the shortest exact form would cost a string
    /// allocation per number on the hot path and carry digits nobody reads. Values outside
    /// ±1e12 (and NaN, infinities) are written as ``appendDouble(_:to:)`` does.
    public static func appendRounded(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite, abs(value) < 1e12 else {
            appendDouble(value, to: &out)
            return
        }
        var scaled = Int64((value * 1_000_000).rounded())
        if scaled == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        if scaled < 0 {
            out.append(UInt8(ascii: "-"))
            scaled = -scaled
        }
        appendInteger(scaled / 1_000_000, to: &out)
        var fraction = scaled % 1_000_000
        guard fraction != 0 else { return }
        var digits = 6
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        out.append(UInt8(ascii: "."))
        var divisor: Int64 = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// Appends a probability clamped to [0, 1] (NaN as 0).
    public static func appendUnitInterval(_ value: Double, to out: inout [UInt8]) {
        appendDouble(value.isNaN ? 0 : Swift.min(1, Swift.max(0, value)), to: &out)
    }

    /// Appends a raw ASCII literal such as `null`, `true` or `{`.
    @inline(__always)
    public static func appendRaw(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends `true` or `false`.
    public static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        value ? appendRaw("true", to: &out) : appendRaw("false", to: &out)
    }

    /// Appends an RFC 3339 UTC timestamp with milliseconds, quoted.
    public static func appendTimestamp(_ millis: EpochMillis, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        RFC3339.append(millis, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `[{"code":…,"contribution":…},…]`.
    public static func appendReasons(_ reasons: [ReasonCode], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, reason) in reasons.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            appendKey("code", to: &out, first: true)
            appendString(reason.code, to: &out)
            appendKey("contribution", to: &out)
            appendRounded(reason.contribution, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends `["a","b"]`.
    public static func appendStrings(_ values: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
