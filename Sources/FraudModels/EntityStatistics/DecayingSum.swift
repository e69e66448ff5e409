/// A time-decayed sum in 16 bytes: `value` as of `lastUpdate`, halving every half-life.
///
/// `value(at: t) = Σ v_i · 2^(−(t − t_i)/halfLife)` over the added values `v_i` at times
/// `t_i ≤ t`. The half-life is passed to every call instead of being stored, so millions of
/// entity counters share one ``HalfLife``; always pass the same one for a given sum.
///
/// Event time, not wall clock: `t` is the event's timestamp in milliseconds. A late
/// (out-of-order) value with `t < lastUpdate` is added with the weight it has at
/// `lastUpdate`, `v · 2^(−(lastUpdate − t)/halfLife)`, which is exactly where it would be had
/// it arrived in order — exponential decay makes the sum independent of arrival order up
/// to rounding. `value(at:)` for a time before `lastUpdate` returns the value at
/// `lastUpdate` (decay is never reversed).
///
/// Storage is `Float` (about 7 significant digits); arithmetic is done in `Double` and
/// rounded once per update. Decay uses ``DeterministicMath/exp(_:)``, so results are
/// bit-identical on every machine.
public struct DecayingSum: Sendable, Hashable, StateCodable {
    /// The sum as of `lastUpdate`.
    public var value: Float
    /// Event time (ms) of the latest in-order update; `Int64.min` when nothing was added.
    public var lastUpdate: Int64

    /// An empty sum.
    @inlinable
    public init() {
        value = 0
        lastUpdate = .min
    }

    /// A sum with the given state.
    @inlinable
    public init(value: Float, lastUpdate: Int64) {
        self.value = value
        self.lastUpdate = lastUpdate
    }

    /// Adds `amount` at event time `t`.
    @inlinable
    public mutating func add(_ amount: Double, at t: Int64, halfLife: HalfLife) {
        let elapsed = Double(t) - Double(lastUpdate)
        if elapsed >= 0 {
            value = Float(Double(value) * halfLife.decayFactor(elapsedMilliseconds: elapsed) + amount)
            lastUpdate = t
        } else {
            value = Float(Double(value) + amount * halfLife.decayFactor(elapsedMilliseconds: -elapsed))
        }
    }

    /// The decayed sum at event time `t` (no update).
    @inlinable
    public func value(at t: Int64, halfLife: HalfLife) -> Double {
        Double(value) * halfLife.decayFactor(elapsedMilliseconds: Double(t) - Double(lastUpdate))
    }

    /// Writes `value` (bit pattern) and `lastUpdate`: 12 bytes.
    @inlinable
    public func encode(to writer: inout StateWriter) {
        writer.writeFloat(value)
        writer.writeInt64(lastUpdate)
    }

    /// Restores a sum written by `encode(to:)`.
    @inlinable
    public init(from reader: inout StateReader) throws(StateError) {
        value = try reader.readFloat()
        lastUpdate = try reader.readInt64()
    }
}
