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
}
