extension CurrencyCode {
    /// One bit per three-uppercase-letter code (26³ = 17,576 bits), set for ``CurrencyCode/known``:
    /// the decoder's lookup without hashing.
    private static let knownBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: (26 * 26 * 26 + 63) / 64)
        for packed in CurrencyCode.known {
            let index = letterIndex(UInt8(packed >> 16 & 0xFF), UInt8(packed >> 8 & 0xFF), UInt8(packed & 0xFF))!
            bits[index >> 6] |= 1 << UInt64(index & 63)
        }
        return bits
    }()

    @inline(__always)
    private static func letterIndex(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let x = a &- UInt8(ascii: "A"), y = b &- UInt8(ascii: "A"), z = c &- UInt8(ascii: "A")
        guard x < 26, y < 26, z < 26 else { return nil }
        return (Int(x) * 26 + Int(y)) * 26 + Int(z)
    }

    /// Same result as ``init(_:_:_:)``, with a bitmap instead of a hash set.
    init?(fastLookup a: UInt8, _ b: UInt8, _ c: UInt8) {
        guard let index = CurrencyCode.letterIndex(a, b, c),
              CurrencyCode.knownBits[index >> 6] & (1 << UInt64(index & 63)) != 0
        else { return nil }
        self.packed = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
    }
}
