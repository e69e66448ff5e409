import FraudModels

/// Writes JSON tokens through a raw pointer into memory reserved ahead (see
/// ``JSONByteWriter/write(into:maxBytes:_:)``): no capacity or uniqueness check per byte, so a
/// whole record costs about as much as copying its bytes. Every token's worst-case size is
/// documented on its method; the reservation must cover the sum (a precondition checks the
/// end after each token).
public struct JSONCursor {
    @usableFromInline var position: UnsafeMutablePointer<UInt8>
    @usableFromInline let end: UnsafeMutablePointer<UInt8>

    @usableFromInline init(start: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
        position = start
        self.end = end
    }

    /// Worst-case size of ``string(_:)-(String)`` for `utf8Count` bytes: every byte escaped as `\u00XX`.
    @inlinable public static func stringBound(_ utf8Count: Int) -> Int { 2 + 6 * utf8Count }
    /// Worst-case size of the number tokens (integers, doubles, money, timestamps).
    public static let numberBound = 40

    /// One byte.
    @inline(__always) @inlinable public mutating func byte(_ b: UInt8) {
        precondition(position < end, "JSONCursor: reservation exceeded")
        position.pointee = b
        position += 1
    }

    /// A raw ASCII literal such as `null` or `{`.
    @inline(__always) @inlinable public mutating func raw(_ literal: StaticString) {
        bytes(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Raw bytes.
    @inline(__always) @inlinable public mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        precondition(end - position >= source.count, "JSONCursor: reservation exceeded")
        UnsafeMutableRawPointer(position).copyMemory(from: base, byteCount: source.count)
        position += source.count
    }

    /// `,"key":` (without the comma when `first`); at most `key` + 4 bytes.
    @inline(__always) @inlinable public mutating func key(_ key: StaticString, first: Bool = false) {
        if !first { byte(UInt8(ascii: ",")) }
        byte(UInt8(ascii: "\""))
        raw(key)
        byte(UInt8(ascii: "\""))
        byte(UInt8(ascii: ":"))
    }

    /// A JSON string literal, escaping `"`, `\` and control characters; other characters as
    /// raw UTF-8. At most ``stringBound(_:)`` bytes.
    public mutating func string(_ value: String) {
        value.withUTF8Bytes { string($0) }
    }

    /// A JSON string literal from UTF-8 bytes (escaped as ``string(_:)-(String)``).
    public mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(end - position >= Self.stringBound(bytes.count), "JSONCursor: reservation exceeded")
        byte(UInt8(ascii: "\""))
        if !Self.needsEscaping(bytes) {  // the usual case: one copy
            self.bytes(UnsafeRawBufferPointer(bytes))
            byte(UInt8(ascii: "\""))
            return
        }
        for b in bytes {
            if !Self.isEscaped(b) {
                byte(b)
                continue
            }
            byte(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte(b)
            case 0x08: byte(UInt8(ascii: "b"))
            case 0x0C: byte(UInt8(ascii: "f"))
            case 0x0A: byte(UInt8(ascii: "n"))
            case 0x0D: byte(UInt8(ascii: "r"))
            case 0x09: byte(UInt8(ascii: "t"))
            default:
                byte(UInt8(ascii: "u"))
                byte(UInt8(ascii: "0"))
                byte(UInt8(ascii: "0"))
                byte(Self.hex(b >> 4))
                byte(Self.hex(b & 0xF))
            }
        }
        byte(UInt8(ascii: "\""))
    }

    /// Lower-case hexadecimal digit of `nibble` (0–15).
    @inline(__always) @inlinable public static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }

    /// Whether `b` is written escaped: `"`, `\\` and the control characters (below 0x20).
    @inline(__always) @inlinable
    static func isEscaped(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }

    /// Whether `bytes` holds a `"`, a `\\` or a control character (below 0x20), eight bytes at
    /// a time: a byte-at-a-time scan of every id and code was a measured share of encoding.
    /// Per 64-bit word, `(w - n·0x01…) & ~w & 0x80…` is non-zero exactly when some byte of
    /// `w` is below `n` (for n ≤ 0x80); a byte equal to `c` is a zero byte of `w ^ c·0x01…`.
    @inline(__always) @inlinable
    static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return false }
        if n < 8 { return bytes.contains(where: isEscaped) }
        @inline(__always) func special(_ w: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let high: UInt64 = 0x8080_8080_8080_8080
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            let control = (w &- ones &* 0x20) & ~w
            return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & high != 0
        }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= n {
            if special(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        // The last, overlapping word covers the tail.
        return i < n && special(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    /// A decimal integer (at most 20 bytes).
    public mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        digits(value.magnitude, minimumDigits: 1)
    }

    /// An unsigned decimal integer (at most 20 bytes).
    public mutating func unsigned(_ value: UInt64) { digits(value, minimumDigits: 1) }

    /// The decimal digits of `value`, left-padded with zeros to `minimumDigits` (≤ 20).
    public mutating func digits(_ value: UInt64, minimumDigits: Int) {
        var count = 1
        var power: UInt64 = 10
        while count < 20 && value >= power {
            count += 1
            power &*= 10
        }
        count = max(count, min(minimumDigits, 20))
        precondition(end - position >= count, "JSONCursor: reservation exceeded")
        // Two digits per division, from a table of the pairs 00…99 (a literal: no lazy global).
        let pairs = Self.digitPairs.utf8Start
        var v = value
        var i = count
        while v >= 100 {
            let r = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            i -= 2
            position[i] = pairs[r]
            position[i + 1] = pairs[r + 1]
        }
        if v >= 10 {
            let r = Int(truncatingIfNeeded: v) &* 2
            i -= 2
            position[i] = pairs[r]
            position[i + 1] = pairs[r + 1]
        } else {
            i -= 1
            position[i] = UInt8(truncatingIfNeeded: v) &+ 48
        }
        while i > 0 {
            i -= 1
            position[i] = UInt8(ascii: "0")
        }
        position += count
    }

    @usableFromInline static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// An exact decimal amount in its shortest form (`12.5`, `0.0001`, `220`; at most 40 bytes).
    public mutating func money(_ money: Money) {
        if money.units < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = money.units.magnitude
        let scale = UInt64(Money.scale)
        digits(magnitude / scale, minimumDigits: 1)
        var fraction = magnitude % scale
        guard fraction != 0 else { return }
        var count = Money.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            count -= 1
        }
        byte(UInt8(ascii: "."))
        digits(fraction, minimumDigits: count)
    }

    /// A double in the shortest form that parses back to the same value (`0.25`, `1e-05`,
    /// `3` for an integral value); `null` for NaN or an infinity (at most 40 bytes).
    public mutating func double(_ value: Double) {
        guard value.isFinite else {
            raw("null")
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            integer(Int64(value))
            return
        }
        // The standard library's shortest round-trip digits (as `description`), written
        // straight from its stack buffer: no String is made.
        var stream = Stream(cursor: self)
        value.write(to: &stream)
        self = stream.cursor
    }

    /// Receives the standard library's text output without making Strings.
    private struct Stream: TextOutputStream {
        var cursor: JSONCursor

        mutating func write(_ string: String) {
            var string = string
            string.withUTF8 { cursor.bytes(UnsafeRawBufferPointer($0)) }
        }

        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            cursor.bytes(UnsafeRawBufferPointer(buffer))
        }
    }

    /// A probability clamped to [0, 1] (NaN as 0).
    public mutating func unitInterval(_ value: Double) {
        double(value.isNaN ? 0 : Swift.min(1, Swift.max(0, value)))
    }

    /// `value` rounded to 6 decimals without trailing zeros (`1.5`, `-0.031416`, `0`); values
    /// outside ±1e12 (and NaN, infinities) as ``double(_:)`` (at most 40 bytes).
    public mutating func rounded(_ value: Double) {
        guard value.isFinite, abs(value) < 1e12 else {
            double(value)
            return
        }
        var scaled = Int64((value * 1_000_000).rounded())
        if scaled == 0 {
            byte(UInt8(ascii: "0"))
            return
        }
        if scaled < 0 {
            byte(UInt8(ascii: "-"))
            scaled = -scaled
        }
        integer(scaled / 1_000_000)
        var fraction = scaled % 1_000_000
        guard fraction != 0 else { return }
        var count = 6
        while fraction % 10 == 0 {
            fraction /= 10
            count -= 1
        }
        byte(UInt8(ascii: "."))
        digits(UInt64(fraction), minimumDigits: count)
    }

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    /// An RFC 3339 UTC timestamp with milliseconds, quoted (at most 40 bytes).
    public mutating func timestamp(_ millis: EpochMillis) {
        byte(UInt8(ascii: "\""))
        RFC3339.write(millis, to: &self)
        byte(UInt8(ascii: "\""))
    }

    /// Worst-case size of ``reasons(_:)``.
    public static func reasonsBound(_ reasons: [ReasonCode]) -> Int { reasonsBound(reasons[...]) }

    /// Worst-case size of ``reasons(_:)-(ArraySlice<ReasonCode>)``.
    public static func reasonsBound(_ reasons: ArraySlice<ReasonCode>) -> Int {
        reasons.reduce(2) { $0 + stringBound($1.code.utf8.count) + 30 + numberBound }
    }

    /// `[{"code":…,"contribution":…},…]`, contributions rounded to 6 decimals.
    public mutating func reasons(_ reasons: [ReasonCode]) { self.reasons(reasons[...]) }

    /// ``reasons(_:)-([ReasonCode])`` of a slice (e.g. of reasons kept for a whole batch).
    public mutating func reasons(_ reasons: ArraySlice<ReasonCode>) {
        byte(UInt8(ascii: "["))
        for (i, reason) in zip(reasons.indices, reasons) {
            if i > reasons.startIndex { byte(UInt8(ascii: ",")) }
            byte(UInt8(ascii: "{"))
            key("code", first: true)
            string(reason.code)
            key("contribution")
            rounded(reason.contribution)
            byte(UInt8(ascii: "}"))
        }
        byte(UInt8(ascii: "]"))
    }

    /// Worst-case size of ``strings(_:)``.
    public static func stringsBound(_ values: [String]) -> Int {
        values.reduce(2) { $0 + 1 + stringBound($1.utf8.count) }
    }

    /// `["a","b"]`.
    public mutating func strings(_ values: [String]) {
        byte(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            string(value)
        }
        byte(UInt8(ascii: "]"))
    }
}
