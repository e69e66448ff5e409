/// Decayed event counts and amount sums over four horizons (for example 1 h, 24 h, 7 d,
/// 30 d) sharing one timestamp: 40 bytes per entity.
///
/// Horizon `i` behaves exactly like an ``ExponentialDecayCounter`` with half-life
/// `horizons.halfLives[i]`; the horizons are passed to every call (one shared
/// ``Horizons`` value for millions of cards). Same event-time, out-of-order and determinism
/// rules as ``DecayingSum``; the four decay factors cost four ``DeterministicMath/exp(_:)``.
public struct MultiHorizonCounter: Sendable, Hashable, StateCodable {
    /// Four half-lives, shared by all counters of a kind.
    public struct Horizons: Sendable, Hashable {
        /// The half-lives in order.
        public let halfLives: [HalfLife]
        /// `ln 2 / halfLife` per horizon.
        public let rates: SIMD4<Double>

        /// Four horizons, in the order the counters report them.
        public init(_ h0: HalfLife, _ h1: HalfLife, _ h2: HalfLife, _ h3: HalfLife) {
            halfLives = [h0, h1, h2, h3]
            rates = SIMD4(h0.ratePerMillisecond, h1.ratePerMillisecond, h2.ratePerMillisecond, h3.ratePerMillisecond)
        }

        /// Card defaults: equivalent windows of 1 hour, 24 hours, 7 days and 30 days
        /// (half-lives = window × ln 2, see ``HalfLife/init(equivalentWindowMilliseconds:)``).
        public static let cardWindows = Horizons(
            HalfLife(equivalentWindowMilliseconds: 3_600_000),
            HalfLife(equivalentWindowMilliseconds: 86_400_000),
            HalfLife(equivalentWindowMilliseconds: 7 * 86_400_000),
            HalfLife(equivalentWindowMilliseconds: 30 * 86_400_000))

        /// The four decay factors after `elapsed` ms (1 for `elapsed <= 0`).
        @inlinable
        public func decayFactors(elapsedMilliseconds elapsed: Double) -> SIMD4<Double> {
            if !(elapsed > 0) { return SIMD4(repeating: 1) }
            let e = rates * -elapsed
            return SIMD4(
                DeterministicMath.exp(e[0]), DeterministicMath.exp(e[1]), DeterministicMath.exp(e[2]),
                DeterministicMath.exp(e[3]))
        }
    }

    @usableFromInline var c0: Float, c1: Float, c2: Float, c3: Float
    @usableFromInline var s0: Float, s1: Float, s2: Float, s3: Float
    /// Event time (ms) of the latest in-order update; `Int64.min` when empty.
    public var lastUpdate: Int64

    /// An empty counter.
    @inlinable
    public init() {
        (c0, c1, c2, c3) = (0, 0, 0, 0)
        (s0, s1, s2, s3) = (0, 0, 0, 0)
        lastUpdate = .min
    }

    @inlinable
    var storedCounts: SIMD4<Double> {
        get { SIMD4(Double(c0), Double(c1), Double(c2), Double(c3)) }
        set { (c0, c1, c2, c3) = (Float(newValue[0]), Float(newValue[1]), Float(newValue[2]), Float(newValue[3])) }
    }

    @inlinable
    var storedSums: SIMD4<Double> {
        get { SIMD4(Double(s0), Double(s1), Double(s2), Double(s3)) }
        set { (s0, s1, s2, s3) = (Float(newValue[0]), Float(newValue[1]), Float(newValue[2]), Float(newValue[3])) }
    }

    /// Counts one event carrying `amount` at event time `t` in all four horizons.
    @inlinable
    public mutating func add(_ amount: Double, at t: Int64, horizons: Horizons) {
        let elapsed = Double(t) - Double(lastUpdate)
        if elapsed >= 0 {
            let f = horizons.decayFactors(elapsedMilliseconds: elapsed)
            storedCounts = storedCounts * f + 1
            storedSums = storedSums * f + amount
            lastUpdate = t
        } else {
            let f = horizons.decayFactors(elapsedMilliseconds: -elapsed)
            storedCounts = storedCounts + f
            storedSums = storedSums + amount * f
        }
    }

    /// Decayed counts and sums of all four horizons at event time `t` (no update).
    @inlinable
    public func values(at t: Int64, horizons: Horizons) -> (counts: SIMD4<Double>, sums: SIMD4<Double>) {
        let f = horizons.decayFactors(elapsedMilliseconds: Double(t) - Double(lastUpdate))
        return (storedCounts * f, storedSums * f)
    }

    /// Decayed counts of the four horizons at `t`.
    @inlinable
    public func counts(at t: Int64, horizons: Horizons) -> SIMD4<Double> { values(at: t, horizons: horizons).counts }

    /// Decayed sums of the four horizons at `t`.
    @inlinable
    public func sums(at t: Int64, horizons: Horizons) -> SIMD4<Double> { values(at: t, horizons: horizons).sums }

    /// Writes 8 floats (bit patterns) and `lastUpdate`: 40 bytes.
    @inlinable
    public func encode(to writer: inout StateWriter) {
        writer.writeFloat(c0)
        writer.writeFloat(c1)
        writer.writeFloat(c2)
        writer.writeFloat(c3)
        writer.writeFloat(s0)
        writer.writeFloat(s1)
        writer.writeFloat(s2)
        writer.writeFloat(s3)
        writer.writeInt64(lastUpdate)
    }

    /// Restores a counter written by `encode(to:)`.
    @inlinable
    public init(from reader: inout StateReader) throws(StateError) {
        c0 = try reader.readFloat()
        c1 = try reader.readFloat()
        c2 = try reader.readFloat()
        c3 = try reader.readFloat()
        s0 = try reader.readFloat()
        s1 = try reader.readFloat()
        s2 = try reader.readFloat()
        s3 = try reader.readFloat()
        lastUpdate = try reader.readInt64()
    }
}
