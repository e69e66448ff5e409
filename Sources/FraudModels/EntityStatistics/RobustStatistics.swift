/// "How unusual is this value for this entity?" in 12 bytes: an exponentially weighted,
/// outlier-resistant location and scale, meant for the log-amount of a card's payments.
///
/// ## Math
/// State: location `μ`, mean absolute deviation `d`, observation count `n` (saturating).
/// With `α = 1 − 2^(−1/halfLife)` and `a = max(α, 1/n)` (exact running averages until the
/// window is full, exponential forgetting after):
///
/// - scale: `σ̂ = max(minimumScale, (m·√(π/2)·d + w₀·priorScale) / (m + w₀))`, where
///   `m = min(n, 1/α)` is the effective sample size and `w₀ = priorWeight`. For Gaussian data
///   `E|X − μ| = σ·√(2/π)`, so `√(π/2)·d` estimates the standard deviation; the prior shrinks
///   it towards `priorScale` while the entity has few observations.
/// - update with `x` (`n ≥ 1`): residual `r = x − μ`, clipped to `±huberK·σ̂` (a Huber-type
///   step, so a single extreme payment moves `μ` and `d` by a bounded amount); then
///   `μ ← μ + a·r_c`, `d ← d + a·(|r_c| − d)`. The first observation sets `μ = x`, `d = 0`.
/// - ``zScore(_:parameters:)`` = `(x − μ) / σ̂`, 0 for an entity with no observations.
///
/// Pass the same ``Parameters`` to every call for a given statistic (they are not stored,
/// to keep the state small). Fields are `Float`; arithmetic is in `Double`, rounded once per
/// update; deterministic everywhere.
public struct RobustStatistics: Sendable, Hashable, StateCodable {
    /// Tuning shared by all entities of a kind.
    public struct Parameters: Sendable, Hashable {
        /// Observations after which an observation's weight halves; default 20.
        public let halfLife: Double
        /// Residual clip in scale units; default 3.
        public let huberK: Double
        /// Floor on the scale (same unit as the values); default 0.05.
        public let minimumScale: Double
        /// Prior scale used while there are few observations; default 1 (log-amounts of
        /// typical card populations spread by about 1).
        public let priorScale: Double
        /// Weight of the prior, in pseudo-observations; default 2.
        public let priorWeight: Double
        /// `1 − 2^(−1/halfLife)`.
        public let alpha: Double

        /// Creates parameters (see the type's documentation for the math).
        public init(
            halfLife: Double = 20, huberK: Double = 3, minimumScale: Double = 0.05, priorScale: Double = 1,
            priorWeight: Double = 2
        ) {
            precondition(halfLife > 0 && huberK > 0 && minimumScale > 0 && priorScale > 0 && priorWeight >= 0,
                         "RobustStatistics parameters must be positive")
            self.halfLife = halfLife
            self.huberK = huberK
            self.minimumScale = minimumScale
            self.priorScale = priorScale
            self.priorWeight = priorWeight
            alpha = 1 - DeterministicMath.exp2(-1 / halfLife)
        }

        /// The defaults.
        public static let `default` = Parameters()
    }

    /// Location `μ` (exponentially weighted, Huber-clipped mean).
    public var location: Float
    /// Mean absolute deviation `d` around the location.
    public var meanAbsoluteDeviation: Float
    /// Observations so far (saturates at `UInt32.max`).
    public var count: UInt32

    /// No observations.
    @inlinable
    public init() {
        location = 0
        meanAbsoluteDeviation = 0
        count = 0
    }

    /// The scale `σ̂` (a standard-deviation estimate, ≥ `minimumScale`).
    @inlinable
    public func scale(parameters: Parameters = .default) -> Double {
        let m = min(Double(count), 1 / parameters.alpha)
        let observed = 1.2533141373155002512 * Double(meanAbsoluteDeviation)
        let blended = (m * observed + parameters.priorWeight * parameters.priorScale) / (m + parameters.priorWeight)
        return max(parameters.minimumScale, blended.isNaN ? parameters.priorScale : blended)
    }

    /// `(x − μ) / σ̂`; 0 before the first observation.
    @inlinable
    public func zScore(_ x: Double, parameters: Parameters = .default) -> Double {
        if count == 0 { return 0 }
        return (x - Double(location)) / scale(parameters: parameters)
    }

    /// Adds one observation (ignored when `x` is not finite).
    @inlinable
    public mutating func update(_ x: Double, parameters: Parameters = .default) {
        guard x.isFinite else { return }
        if count == 0 {
            location = Float(x)
            meanAbsoluteDeviation = 0
            count = 1
            return
        }
        let n = count == .max ? count : count + 1
        let a = max(parameters.alpha, 1 / Double(n))
        let limit = parameters.huberK * scale(parameters: parameters)
        let r = x - Double(location)
        let clipped = r < -limit ? -limit : (r > limit ? limit : r)
        location = Float(Double(location) + a * clipped)
        let d = Double(meanAbsoluteDeviation)
        meanAbsoluteDeviation = Float(d + a * (clipped.magnitude - d))
        count = n
    }

    /// Writes location, deviation (bit patterns) and count: 12 bytes.
    @inlinable
    public func encode(to writer: inout StateWriter) {
        writer.writeFloat(location)
        writer.writeFloat(meanAbsoluteDeviation)
        writer.writeUInt32(count)
    }

    /// Restores statistics written by `encode(to:)`.
    @inlinable
    public init(from reader: inout StateReader) throws(StateError) {
        location = try reader.readFloat()
        meanAbsoluteDeviation = try reader.readFloat()
        count = try reader.readUInt32()
    }
}
