/// Per-dimension running minimum and maximum, mapping values to [0, 1] for
/// ``HalfSpaceTrees``.
///
/// `transform`: `(x − min) / (max − min)`, clamped to [0, 1]. A dimension whose range is
/// still empty or a single point maps to 0.5, and so does a `NaN` (missing) value, which also
/// never updates the range. Heavy-tailed inputs such as amounts are best log-transformed
/// first, or one outlier squeezes every later value towards 0.
///
/// A scaler created with ``init(lower:upper:learns:)`` starts from known bounds (for example
/// hour of day in [0, 24)); with `learns: false` it never changes them.
/// Deterministic and allocation-free per call; conforms to ``StateCodable``.
public struct OnlineMinMaxScaler: Sendable, StateCodable {
    /// `[min × d | max × d]`; empty dimensions hold `+inf` / `−inf`.
    @usableFromInline var storage: [Double]
    /// Number of dimensions.
    public let dimension: Int
    /// Whether `update` widens the range (false for fixed bounds).
    public let learns: Bool

    /// A learning scaler with empty ranges.
    public init(dimension: Int) {
        precondition(dimension > 0, "OnlineMinMaxScaler needs at least one dimension")
        self.dimension = dimension
        learns = true
        storage = [Double](repeating: .infinity, count: dimension) + [Double](repeating: -.infinity, count: dimension)
    }

    /// A scaler starting from the bounds `lower[i] ... upper[i]`; with `learns: false` the
    /// bounds are fixed and `update` does nothing.
    public init(lower: [Double], upper: [Double], learns: Bool = false) {
        precondition(!lower.isEmpty && lower.count == upper.count, "OnlineMinMaxScaler: bounds must match")
        dimension = lower.count
        self.learns = learns
        storage = lower + upper
    }

    /// Running minimum of dimension `index` (`+infinity` before any value).
    public func minimum(at index: Int) -> Double { storage[index] }

    /// Running maximum of dimension `index` (`−infinity` before any value).
    public func maximum(at index: Int) -> Double { storage[dimension + index] }

    @inline(__always)
    static func scale(_ x: Double, _ low: Double, _ high: Double) -> Double {
        let range = high - low
        if x.isNaN || !(range > 0) || !range.isFinite { return 0.5 }
        let u = (x - low) / range
        return u < 0 ? 0 : (u > 1 ? 1 : u)
    }

    /// Replaces each value by its position in [0, 1] within the current range (no update).
    public func transform(_ x: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension, "OnlineMinMaxScaler: wrong dimension")
        let d = dimension
        storage.withUnsafeBufferPointer { s in
            for i in 0..<d { x[i] = Self.scale(x[i], s[i], s[d + i]) }
        }
    }

    /// Writes the scaled values of `x` into `output` (no update).
    public func transform(_ x: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension && output.count >= dimension, "OnlineMinMaxScaler: wrong dimension")
        let d = dimension
        storage.withUnsafeBufferPointer { s in
            for i in 0..<d { output[i] = Self.scale(x[i], s[i], s[d + i]) }
        }
    }

    /// Replaces each value by its position in [0, 1] (no update).
    public func transform(_ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { transform($0) }
    }

    /// Widens the ranges to include `x` (ignores `NaN`; no-op when `learns` is false).
    public mutating func update(with x: UnsafeBufferPointer<Double>) {
        precondition(x.count == dimension, "OnlineMinMaxScaler: wrong dimension")
        guard learns else { return }
        let d = dimension
        storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<d where !x[i].isNaN {
                if x[i] < s[i] { s[i] = x[i] }
                if x[i] > s[d + i] { s[d + i] = x[i] }
            }
        }
    }

    /// Widens the ranges to include `x`.
    public mutating func update(with x: [Double]) {
        x.withUnsafeBufferPointer { update(with: $0) }
    }

    /// In one pass: widens the ranges to include each raw value, then replaces it by its
    /// scaled value (so the current point is always inside its range).
    public mutating func updateThenTransform(_ x: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension, "OnlineMinMaxScaler: wrong dimension")
        let d = dimension
        let learns = learns
        storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<d {
                let raw = x[i]
                if learns && !raw.isNaN {
                    if raw < s[i] { s[i] = raw }
                    if raw > s[d + i] { s[d + i] = raw }
                }
                x[i] = Self.scale(raw, s[i], s[d + i])
            }
        }
    }

    /// `updateThenTransform` over an array.
    public mutating func updateThenTransform(_ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { updateThenTransform($0) }
    }

    // MARK: StateCodable

    static let layoutVersion: UInt8 = 1

    /// Writes the bounds and the `learns` flag.
    public func encode(to writer: inout StateWriter) {
        writer.writeUInt8(Self.layoutVersion)
        writer.writeBool(learns)
        writer.writeDoubles(storage)
    }

    /// Restores a scaler written by `encode(to:)`.
    public init(from reader: inout StateReader) throws(StateError) {
        let version = try reader.readUInt8()
        guard version == Self.layoutVersion else {
            throw StateError.corrupt("unknown OnlineMinMaxScaler layout \(version)")
        }
        learns = try reader.readBool()
        let at = reader.offset
        let values = try reader.readDoubles()
        guard !values.isEmpty, values.count % 2 == 0 else {
            throw StateError.corrupt("OnlineMinMaxScaler: odd bound count \(values.count) at byte \(at)")
        }
        dimension = values.count / 2
        storage = values
    }
}
