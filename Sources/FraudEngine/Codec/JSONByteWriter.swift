import FraudModels

/// Appends JSON tokens to a reusable byte buffer: every encoder of the project (transactions,
/// labels, alerts, decision records) writes through it, without Foundation or intermediate
/// strings.
public enum JSONByteWriter {
    @usableFromInline static let zeroPageSize = 4096
    @usableFromInline nonisolated(unsafe) static let zeroPage: UnsafePointer<UInt8> = {
        let page = UnsafeMutablePointer<UInt8>.allocate(capacity: zeroPageSize)
        page.initialize(repeating: 0, count: zeroPageSize)
        return UnsafePointer(page)
    }()

    /// Appends what `body` writes through a ``JSONCursor`` to `out`, with `maxBytes` reserved
    /// (the sum of the worst-case sizes of what it writes): the fast path for whole records.
    @inlinable
    public static func write(into out: inout [UInt8], maxBytes: Int, _ body: (inout JSONCursor) -> Void) {
        let old = out.count
        var missing = maxBytes
        while missing > 0 {  // grow by copying zeros: a memcpy, also in debug builds
            let n = Swift.min(missing, zeroPageSize)
            out.append(contentsOf: UnsafeBufferPointer(start: zeroPage, count: n))
            missing -= n
        }
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            let start = buffer.baseAddress! + old
            var cursor = JSONCursor(start: start, end: start + maxBytes)
            body(&cursor)
            return cursor.position - start
        }
        out.removeLast(maxBytes - written)
    }

    /// Appends `"key":`.
    @inline(__always)
    public static func appendKey(_ key: StaticString, to out: inout [UInt8], first: Bool = false) {
        write(into: &out, maxBytes: key.utf8CodeUnitCount + 4) { $0.key(key, first: first) }
    }

    /// Appends a JSON string literal, escaping `"`, `\` and control characters; other
    /// characters are written as raw UTF-8.
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        value.withUTF8Bytes { appendString($0, to: &out) }
    }

    /// Appends a JSON string literal from UTF-8 bytes (escaped as ``appendString(_:to:)-(String,_)``).
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.stringBound(bytes.count)) { $0.string(bytes) }
    }

    /// Appends a decimal integer.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        write(into: &out, maxBytes: 21) { $0.integer(value) }
    }

    /// Appends an unsigned decimal integer.
    public static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        write(into: &out, maxBytes: 20) { $0.unsigned(value) }
    }

    /// Appends the decimal digits of `value`, left-padded with zeros to `minimumDigits` (at most 20).
    public static func appendDigits(_ value: UInt64, minimumDigits: Int, to out: inout [UInt8]) {
        write(into: &out, maxBytes: 20) { $0.digits(value, minimumDigits: minimumDigits) }
    }

    /// Appends an exact decimal amount in its shortest form (`12.5`, `0.0001`, `220`).
    public static func appendMoney(_ money: Money, to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.numberBound) { $0.money(money) }
    }

    /// Appends a double in the shortest form that parses back to the same value (`0.25`,
    /// `1e-05`, `3` for an integral value); `null` for NaN or an infinity, which JSON cannot
    /// represent.
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.numberBound) { $0.double(value) }
    }

    /// Appends `value` rounded to 6 decimals, without trailing zeros (`1.5`, `-0.031416`,
    /// `0`): for explanatory figures, where the shortest exact form would cost a string
    /// allocation per number on the hot path and carry digits nobody reads. Values outside
    /// ±1e12 (and NaN, infinities) are written as ``appendDouble(_:to:)`` does.
    public static func appendRounded(_ value: Double, to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.numberBound) { $0.rounded(value) }
    }

    /// Appends a probability clamped to [0, 1] (NaN as 0).
    public static func appendUnitInterval(_ value: Double, to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.numberBound) { $0.unitInterval(value) }
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
        write(into: &out, maxBytes: JSONCursor.numberBound + 2) { $0.timestamp(millis) }
    }

    /// Appends `[{"code":…,"contribution":…},…]`.
    public static func appendReasons(_ reasons: [ReasonCode], to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.reasonsBound(reasons)) { $0.reasons(reasons) }
    }

    /// Appends `["a","b"]`.
    public static func appendStrings(_ values: [String], to out: inout [UInt8]) {
        write(into: &out, maxBytes: JSONCursor.stringsBound(values)) { $0.strings(values) }
    }
}
