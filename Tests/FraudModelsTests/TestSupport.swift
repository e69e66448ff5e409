@testable import FraudModels

/// Bitwise equality of two doubles (distinguishes -0 and +0, equates identical NaNs).
func sameBits(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }

/// Bitwise equality of two double arrays.
func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Encodes `value` and decodes it again, requiring that all bytes are consumed.
func roundTrip<T: StateCodable>(_ value: T) throws -> T {
    try T(decoding: value.encodedBytes())
}

/// Unit-in-the-last-place distance between two finite doubles of the same sign.
func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a == b { return 0 }
    let x = Int64(bitPattern: a.bitPattern)
    let y = Int64(bitPattern: b.bitPattern)
    return x > y ? UInt64(x - y) : UInt64(y - x)
}
