import FraudEngine

/// Appending JSON tokens to a reusable byte buffer: the processor's output encoders use it
/// instead of Foundation (no intermediate strings, no per-message allocation once the
/// buffer has grown).
enum JSONOutput {
    /// Appends `"key":`, preceded by a comma unless `first`.
    @inline(__always)
    static func key(_ key: StaticString, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// Appends a raw ASCII literal such as `null` or `{`.
    @inline(__always)
    static func raw(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON string literal, escaping `"`, `\` and control characters.
    static func string(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { string($0, to: &out) }
    }

    /// Appends a JSON string literal from UTF-8 bytes.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
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
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a decimal integer.
    static func integer(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        unsigned(value.magnitude, to: &out)
    }

    /// Appends an unsigned decimal integer.
    static func unsigned(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &digits) { scratch in
            var v = value
            var n = 0
            repeat {
                scratch[23 - n] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
                n += 1
            } while v != 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(24 - n)...]))
        }
    }

    /// Appends a double in the shortest form that parses back to the same value; a
    /// non-finite value (never produced by the engine) is written as 0 so the JSON stays valid.
    static func double(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(UInt8(ascii: "0"))
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            integer(Int64(value), to: &out)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends a probability clamped to [0, 1].
    static func unitInterval(_ value: Double, to out: inout [UInt8]) {
        double(value.isNaN ? 0 : Swift.min(1, Swift.max(0, value)), to: &out)
    }

    /// Appends an RFC 3339 UTC timestamp with milliseconds, quoted.
    static func timestamp(_ millis: EpochMillis, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        RFC3339.append(millis, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `[{"code":…,"contribution":…},…]`.
    static func reasons(_ reasons: [ReasonCode], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, reason) in reasons.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            key("code", to: &out, first: true)
            string(reason.code, to: &out)
            key("contribution", to: &out)
            double(reason.contribution, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends `["a","b"]`.
    static func strings(_ values: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
