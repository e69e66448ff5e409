/// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), slicing-by-8.
///
/// The checksum used by ``StateEnvelope`` (and by iSCSI, ext4 and Kafka record batches).
/// Standard parameters: initial value 0xFFFFFFFF, reflected input and output, final XOR
/// 0xFFFFFFFF; `CRC32C.checksum("123456789")` is 0xE3069283.
///
/// Incremental use: `var crc = CRC32C(); crc.update(part1); crc.update(part2); crc.value`.
public struct CRC32C: Sendable, Hashable {
    /// The running (pre-inverted) register.
    @usableFromInline var register: UInt32

    /// Starts a new checksum.
    public init() { register = 0xFFFF_FFFF }

    /// Continues a checksum whose value so far is `value` (``value`` of bytes already seen).
    public init(continuing value: UInt32) { register = ~value }

    /// The checksum of everything passed to `update` so far.
    public var value: UInt32 { ~register }

    /// Feeds bytes into the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        register = Self.process(register, bytes)
    }

    /// Feeds bytes into the checksum.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds bytes into the checksum.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        ~process(0xFFFF_FFFF, bytes)
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The CRC-32C of a string's UTF-8 bytes.
    public static func checksum(_ string: String) -> UInt32 {
        string.withUTF8Bytes { checksum(UnsafeRawBufferPointer($0)) }
    }

    /// The CRC-32C of `A` followed by `B`, from the CRC-32C of each and the length of `B`,
    /// without reading either (zlib's `crc32_combine`: multiplying by the matrix of
    /// `lengthB` zero bytes in GF(2), O(log lengthB)).
    public static func combine(_ crcA: UInt32, _ crcB: UInt32, lengthB: Int) -> UInt32 {
        guard lengthB > 0 else { return crcA }
        func times(_ matrix: [UInt32], _ vector: UInt32) -> UInt32 {
            var sum: UInt32 = 0
            var v = vector
            var i = 0
            while v != 0 {
                if v & 1 != 0 { sum ^= matrix[i] }
                v >>= 1
                i += 1
            }
            return sum
        }
        func square(_ matrix: [UInt32]) -> [UInt32] { matrix.map { times(matrix, $0) } }
        // The operator for one zero bit, then for two and four.
        var odd = [UInt32](repeating: 0, count: 32)
        odd[0] = 0x82F6_3B78
        var row: UInt32 = 1
        for n in 1..<32 {
            odd[n] = row
            row <<= 1
        }
        var even = square(odd)
        odd = square(even)
        var crc = crcA
        var length = lengthB
        // Each round squares the operator (one byte, two, four, ...) and applies it for the
        // set bits of the length.
        while true {
            even = square(odd)
            if length & 1 != 0 { crc = times(even, crc) }
            length >>= 1
            if length == 0 { break }
            odd = square(even)
            if length & 1 != 0 { crc = times(odd, crc) }
            length >>= 1
            if length == 0 { break }
        }
        return crc ^ crcB
    }

    /// 8 tables of 256 entries: `tables[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for k in 1..<8 {
                crc = (crc >> 8) ^ tables[Int(crc & 0xFF)]
                tables[k * 256 + byte] = crc
            }
        }
        return tables
    }()

    static func process(_ initial: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = initial
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return crc }
        return tables.withUnsafeBufferPointer { t in
            var i = 0
            while i + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word >> 32)
                crc = t[7 * 256 + Int(low & 0xFF)]
                    ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)]
                    ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)]
                    ^ t[Int(high >> 24)]
                i += 8
            }
            while i < count {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)]
                i += 1
            }
            return crc
        }
    }
}
