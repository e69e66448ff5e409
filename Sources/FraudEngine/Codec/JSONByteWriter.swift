/// Appending JSON tokens to a byte buffer, shared by the encoders.
enum JSONByteWriter {
    /// Appends `"key":`.
    @inline(__always)
    static func appendKey(_ key: StaticString, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON string literal, escaping `"`, `\` and control characters; other
    /// characters are written as raw UTF-8.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
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
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a decimal integer.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, minimumDigits: 1, to: &out)
    }

    /// Appends the decimal digits of `value`, left-padded with zeros to `minimumDigits`.
    static func appendDigits(_ value: UInt64, minimumDigits: Int, to out: inout [UInt8]) {
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
    static func appendMoney(_ money: Money, to out: inout [UInt8]) {
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

    /// Appends a finite double in the shortest form that parses back to the same value.
    static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        // `description` is the shortest round-tripping text; JSON accepts its exponent form
        // (`1e-05`), and the decoders accept exponents for coordinates.
        out.append(contentsOf: value.description.utf8)
    }
}
