/// A time-decayed event count and amount sum sharing one timestamp: 16 bytes.
///
/// Equivalent to two ``DecayingSum``s with the same half-life (`add` adds 1 to the count and
/// `amount` to the sum) but with one shared `lastUpdate`. Same event-time, out-of-order and
/// determinism rules as ``DecayingSum``.
public struct ExponentialDecayCounter: Sendable, Hashable, StateCodable {
    /// Decayed count as of `lastUpdate`.
    public var count: Float
    /// Decayed sum as of `lastUpdate`.
    public var sum: Float
    /// Event time (ms) of the latest in-order update; `Int64.min` when empty.
    public var lastUpdate: Int64

    /// An empty counter.
    @inlinable
    public init() {
        count = 0
        sum = 0
        lastUpdate = .min
    }

    /// Counts one event carrying `amount` at event time `t`.
    @inlinable
    public mutating func add(_ amount: Double, at t: Int64, halfLife: HalfLife) {
        let elapsed = Double(t) - Double(lastUpdate)
        if elapsed >= 0 {
            let f = halfLife.decayFactor(elapsedMilliseconds: elapsed)
            count = Float(Double(count) * f + 1)
            sum = Float(Double(sum) * f + amount)
            lastUpdate = t
        } else {
            let f = halfLife.decayFactor(elapsedMilliseconds: -elapsed)
            count = Float(Double(count) + f)
            sum = Float(Double(sum) + amount * f)
        }
    }

    /// Decayed count at event time `t`.
    @inlinable
    public func count(at t: Int64, halfLife: HalfLife) -> Double {
        Double(count) * halfLife.decayFactor(elapsedMilliseconds: Double(t) - Double(lastUpdate))
    }

    /// Decayed sum at event time `t`.
    @inlinable
    public func sum(at t: Int64, halfLife: HalfLife) -> Double {
        Double(sum) * halfLife.decayFactor(elapsedMilliseconds: Double(t) - Double(lastUpdate))
    }

    /// Decayed mean amount (`sum / count`, both decay alike so it is time-independent);
    /// 0 when empty.
    @inlinable
    public var mean: Double { count > 0 ? Double(sum) / Double(count) : 0 }

    /// Writes count, sum (bit patterns) and `lastUpdate`: 16 bytes.
    @inlinable
    public func encode(to writer: inout StateWriter) {
        writer.writeFloat(count)
        writer.writeFloat(sum)
        writer.writeInt64(lastUpdate)
    }

    /// Restores a counter written by `encode(to:)`.
    @inlinable
    public init(from reader: inout StateReader) throws(StateError) {
        count = try reader.readFloat()
        sum = try reader.readFloat()
        lastUpdate = try reader.readInt64()
    }
}
