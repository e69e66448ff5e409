/// Stable 64-bit hashing: the same value for the same bytes in every process, on every run
/// and every machine.
///
/// Swift's `hashValue` and `Hasher` are seeded randomly per process, so they must never
/// feed a feature, a hashed-feature slot, a partition or any serialised state. Use these
/// functions instead.
///
/// - ``hash64(_:seed:)-(UnsafeRawBufferPointer,_)``: the default, fast hash. It reads eight
///   bytes at a time with an XXH64-style round (multiply, rotate, multiply) and finishes
///   with MurmurHash3's `fmix64` avalanche; the length is mixed into the initial state so
///   inputs differing only in trailing zero bytes differ. Good distribution for short keys
///   such as card, merchant and terminal ids. Its output is pinned by golden values in the
///   test suite: changing this function changes every hashed feature and invalidates
///   trained models, so treat it as frozen.
/// - ``fnv1a64(_:)-(UnsafeRawBufferPointer)``: FNV-1a 64, byte-at-a-time, for interoperability
///   and as a well-known reference.
public enum StableHash {
    /// MurmurHash3's 64-bit finaliser (`fmix64`): a bijective avalanche mix of one word.
    @inlinable
    public static func mix64(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// Combines two hashes (or a hash and an integer feature value) into one, order-sensitive.
    /// Use it for feature crosses and namespacing: `combine(hash64("mcc"), UInt64(mcc))`.
    @inlinable
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix64(a ^ (b &* 0x9E37_79B9_7F4A_7C15 &+ 0x6A09_E667_F3BC_C909).rotatedLeft(by: 23))
    }

    /// Hash of a 64-bit integer (for example an MCC code or a bucketed value) under `seed`.
    @inlinable
    public static func hash64(_ value: UInt64, seed: UInt64 = 0) -> UInt64 {
        combine(seed, value)
    }

    /// The default stable hash of raw bytes.
    @inlinable
    public static func hash64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
        let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
        let count = bytes.count
        var h = seed &+ 0x27D4_EB2F_1656_67C5 &+ UInt64(truncatingIfNeeded: count) &* prime1
        var offset = 0
        while offset + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            h ^= (word &* prime2).rotatedLeft(by: 31) &* prime1
            h = h.rotatedLeft(by: 27) &* prime1 &+ prime4
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            h ^= (tail &* prime2).rotatedLeft(by: 31) &* prime1
            h = h.rotatedLeft(by: 27) &* prime1 &+ prime4
        }
        return mix64(h)
    }

    /// The default stable hash of a byte array.
    @inlinable
    public static func hash64(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash64($0, seed: seed) }
    }

    /// The default stable hash of a string's UTF-8 bytes (no normalisation: "é" precomposed
    /// and decomposed hash differently, as their bytes differ).
    @inlinable
    public static func hash64(_ string: String, seed: UInt64 = 0) -> UInt64 {
        string.withUTF8Bytes { hash64(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// The default stable hash of a `Substring`'s UTF-8 bytes (same value as for an equal `String`).
    @inlinable
    public static func hash64(_ string: Substring, seed: UInt64 = 0) -> UInt64 {
        string.withUTF8Bytes { hash64(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// FNV-1a 64 of raw bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    @inlinable
    public static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    /// FNV-1a 64 of a string's UTF-8 bytes.
    @inlinable
    public static func fnv1a64(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { fnv1a64(UnsafeRawBufferPointer($0)) }
    }

    /// Maps a hash to one of `2^bits` slots using its top `bits` bits (the best-mixed ones).
    ///
    /// - Precondition: `1 <= bits <= 32`.
    @inlinable
    public static func slot(_ hash: UInt64, bits: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: hash >> UInt64(64 - bits))
    }
}

extension UInt64 {
    /// Bit rotation to the left by `k` (0 < k < 64).
    @inlinable @inline(__always)
    func rotatedLeft(by k: UInt64) -> UInt64 {
        (self << k) | (self >> (64 - k))
    }
}
