import FraudEngine
import Testing

@Suite struct JSONByteWriterTests {
    func rounded(_ value: Double) -> String {
        var out: [UInt8] = []
        JSONByteWriter.appendRounded(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func shortest(_ value: Double) -> String {
        var out: [UInt8] = []
        JSONByteWriter.appendDouble(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func roundedKeepsSixDecimalsWithoutTrailingZeros() {
        #expect(rounded(1.5) == "1.5")
        #expect(rounded(-0.5) == "-0.5")
        #expect(rounded(0) == "0")
        #expect(rounded(-0.0000004) == "0")
        #expect(rounded(0.0314159265) == "0.031416")
        #expect(rounded(-2.000001) == "-2.000001")
        #expect(rounded(0.000001) == "0.000001")
        #expect(rounded(0.00000051) == "0.000001")
        #expect(rounded(12345.1) == "12345.1")
        #expect(rounded(3) == "3")
        #expect(rounded(.nan) == "null")
        #expect(rounded(2e15) == shortest(2e15))
    }

    @Test func roundedParsesBackWithinHalfAMillionth() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let value = Double.random(in: -1000...1000, using: &generator)
            let text = rounded(value)
            let parsed = Double(text)
            #expect(parsed != nil, "\(text)")
            #expect(abs((parsed ?? .nan) - value) <= 0.5e-6 + 1e-9, "\(value) -> \(text)")
        }
    }

    @Test func shortestFormRoundTrips() {
        for value in [0.1, 1.0 / 3.0, 0.044714454394210526, 1e-5, 123.456] {
            #expect(Double(shortest(value)) == value)
        }
    }

    /// The escaping of RFC 8259 as the writer applies it, one byte at a time.
    func referenceString(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), b]
            case 0x08: out += Array("\\b".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// The word-at-a-time check for bytes to escape agrees with the byte-wise definition at
    /// every length and position (a special byte alone, at the start, in the overlapping
    /// tail; bytes just around the boundaries 0x20, 0x22, 0x5C, and UTF-8 bytes).
    @Test func stringEscapingAgreesWithAByteWiseReference() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let interesting: [UInt8] = [0x00, 0x08, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        var checked = 0
        for length in 0..<40 {
            for trial in 0..<200 {
                var bytes = (0..<length).map { _ in UInt8(ascii: "a") &+ UInt8(next() % 26) }
                // A third of the trials stay clean; the others get one to three special bytes.
                if trial % 3 != 0 && length > 0 {
                    for _ in 0...(next() % 3) {
                        bytes[Int(next() % UInt64(length))] = interesting[Int(next() % UInt64(interesting.count))]
                    }
                }
                var out: [UInt8] = []
                bytes.withUnsafeBufferPointer { JSONByteWriter.appendString($0, to: &out) }
                #expect(out == referenceString(bytes), "\(bytes)")
                checked += 1
            }
        }
        #expect(checked == 8000)
        var out: [UInt8] = []
        JSONByteWriter.appendString("caf\u{E9} \"x\"\n", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"caf\u{E9} \\\"x\\\"\\n\"")
    }

    /// Integers (two digits per step) agree with the standard library at every length,
    /// the extremes included.
    @Test func integersAgreeWithTheStandardLibrary() {
        var values: [UInt64] = [0, 1, 9, 10, 99, 100, 101, 999, 1000, UInt64.max, UInt64.max - 1, 10_000_000_000_000_000_000]
        var power: UInt64 = 1
        for _ in 0..<19 {
            power *= 10
            values += [power - 1, power, power + 1]
        }
        var state: UInt64 = 12345
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(state >> (state % 64))
        }
        for value in values {
            var out: [UInt8] = []
            JSONByteWriter.appendUnsigned(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
        for value: UInt64 in [0, 7, 42, 1234, 99_999, UInt64.max] {
            for minimum in 0...22 {
                var out: [UInt8] = []
                JSONByteWriter.appendDigits(value, minimumDigits: minimum, to: &out)
                let plain = String(value)
                let padding = String(repeating: "0", count: max(0, min(minimum, 20) - plain.count))
                #expect(String(decoding: out, as: UTF8.self) == padding + plain, "\(value), \(minimum)")
            }
        }
        for value: Int64 in [0, -1, 42, -9_223_372_036_854_775_807, .min, .max] {
            var out: [UInt8] = []
            JSONByteWriter.appendInteger(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}
