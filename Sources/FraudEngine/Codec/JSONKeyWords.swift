/// A field name of up to 16 bytes packed little-endian into two words, so a decoder can
/// recognise a key with two integer comparisons instead of a byte loop.
struct JSONKeyWords: Hashable {
    var length: Int
    var low: UInt64
    var high: UInt64

    /// Packs the decoded key bytes; nil when longer than 16 bytes (no known field is).
    @inline(__always)
    init?(_ key: UnsafeBufferPointer<UInt8>, readable: Int) {
        let n = key.count
        guard n <= 16, let p = key.baseAddress else {
            if key.isEmpty {
                self.init(length: 0, low: 0, high: 0)
                return
            }
            return nil
        }
        if readable >= 16 {
            // Whole words, then keep only the key's bytes.
            let raw = UnsafeRawPointer(p)
            var low = raw.loadUnaligned(as: UInt64.self)
            var high = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            if n < 8 {
                low &= (1 << UInt64(n * 8)) &- 1
                high = 0
            } else if n < 16 {
                high &= (1 << UInt64((n - 8) * 8)) &- 1
            }
            self.init(length: n, low: low, high: high)
        } else {
            var low: UInt64 = 0
            var high: UInt64 = 0
            for i in 0..<n {
                if i < 8 { low |= UInt64(p[i]) << UInt64(i * 8) } else { high |= UInt64(p[i]) << UInt64((i - 8) * 8) }
            }
            self.init(length: n, low: low, high: high)
        }
    }

    /// Creates packed words directly (the decoders' key constants).
    init(length: Int, low: UInt64, high: UInt64) {
        self.length = length
        self.low = low
        self.high = high
    }
}
