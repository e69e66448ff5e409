/// The half-life of an exponentially decaying quantity, in event-time milliseconds.
///
/// A value recorded at time `t0` weighs `2^(−(t − t0)/halfLife) = exp(−(t − t0)·ln2/halfLife)`
/// at time `t`. The rate `ln 2 / halfLife` is computed once here so that the per-event cost
/// is one multiplication and one ``DeterministicMath/exp(_:)`` (bit-identical on every
/// machine; no libm).
///
/// Choosing a half-life for a "window": a steady stream of `λ` events per millisecond has a
/// decayed count of `λ · halfLife / ln 2`, the same as a sliding window of length
/// `halfLife / ln 2`. ``init(equivalentWindowMilliseconds:)`` uses that: an "equivalent 24 h
/// window" has a half-life of 24 h × ln 2 ≈ 16.6 h.
public struct HalfLife: Sendable, Hashable {
    /// The half-life in milliseconds (may be fractional when built from a window length).
    public let milliseconds: Double
    /// `ln 2 / milliseconds`.
    public let ratePerMillisecond: Double

    /// A half-life of `milliseconds` (> 0).
    public init(milliseconds: Double) {
        precondition(milliseconds > 0 && milliseconds.isFinite, "half-life must be positive")
        self.milliseconds = milliseconds
        ratePerMillisecond = 0.69314718055994530942 / milliseconds
    }

    /// A half-life chosen so that a steady event rate gives the same decayed count as a
    /// sliding window of `window` milliseconds: `halfLife = window · ln 2`.
    public init(equivalentWindowMilliseconds window: Double) {
        self.init(milliseconds: window * 0.69314718055994530942)
    }

    /// A half-life of `value` seconds.
    public static func seconds(_ value: Double) -> HalfLife { HalfLife(milliseconds: value * 1_000) }
    /// A half-life of `value` minutes.
    public static func minutes(_ value: Double) -> HalfLife { HalfLife(milliseconds: value * 60_000) }
    /// A half-life of `value` hours.
    public static func hours(_ value: Double) -> HalfLife { HalfLife(milliseconds: value * 3_600_000) }
    /// A half-life of `value` days.
    public static func days(_ value: Double) -> HalfLife { HalfLife(milliseconds: value * 86_400_000) }

    /// The weight after `elapsed` milliseconds: `exp(−elapsed · ln2 / halfLife)`; 1 for
    /// `elapsed <= 0`.
    @inlinable
    public func decayFactor(elapsedMilliseconds elapsed: Double) -> Double {
        elapsed > 0 ? DeterministicMath.exp(-elapsed * ratePerMillisecond) : 1
    }
}
