/// Per-dimension running mean and variance, used to standardise dense features to
/// z-scores before they reach ``LogisticRegression``.
///
/// Two averaging modes (``Configuration/Averaging``):
/// - `.cumulative` — every observation weighs the same: Welford's algorithm, written as
///   West's (1979) recurrence on the population variance. With `n` the observation count
///   and `a = 1/n`: `d = x - mean`, `mean += a·d`, `variance = (1 - a)·(variance + a·d²)`.
///   Matches a two-pass mean/population-variance computation to rounding error.
/// - `.exponential(halfLife:)` — the same recurrence with `a = max(α, 1/n)`,
///   `α = 1 - 2^(-1/halfLife)`: an observation's weight halves after `halfLife` further
///   observations. The `1/n` floor makes the first observations an exact running average
///   instead of a biased start from zero, so early estimates are sensible.
///
/// Standardised value: `z = (x - mean) / sqrt(variance)`, clipped to `±clip`. It is 0 while
/// a dimension's variance is at most `minimumVariance` (fewer than two distinct values seen).
///
/// Missing values: a `NaN` input is standardised to 0 and does not update its dimension's
/// statistics (each dimension keeps its own count).
///
/// Dimension is fixed at init; no method allocates. Summation order is fixed, so results are
/// deterministic. Conforms to ``StateCodable``.
public struct OnlineStandardizer: Sendable, StateCodable {
    /// How the standardiser weighs old observations.
    public struct Configuration: Sendable, Hashable {
        /// Equal weights (Welford) or exponentially decaying weights.
        public enum Averaging: Sendable, Hashable {
            /// Every observation counts the same (Welford / West).
            case cumulative
            /// An observation's weight halves after `halfLife` further observations (> 0).
            case exponential(halfLife: Double)
        }

        /// Number of dimensions (fixed).
        public var dimension: Int
        /// Averaging mode; default `.cumulative`.
        public var averaging: Averaging
        /// Standardised values are clipped to `±clip`; default 5.
        public var clip: Double
        /// Variances at or below this give z = 0; default 1e-12.
        public var minimumVariance: Double

        /// Creates a configuration.
        public init(
            dimension: Int, averaging: Averaging = .cumulative, clip: Double = 5, minimumVariance: Double = 1e-12
        ) {
            self.dimension = dimension
            self.averaging = averaging
            self.clip = clip
            self.minimumVariance = minimumVariance
        }
    }

    /// The configuration this standardiser was created with.
    public let configuration: Configuration
    /// `α` for exponential averaging, 0 for cumulative.
    @usableFromInline let alpha: Double
    /// `[mean × d | variance × d | count × d]`.
    @usableFromInline var storage: [Double]

    /// Creates a standardiser with no observations.
    public init(configuration: Configuration) {
        precondition(configuration.dimension > 0, "OnlineStandardizer needs at least one dimension")
        precondition(configuration.clip > 0, "clip must be positive")
        self.configuration = configuration
        switch configuration.averaging {
        case .cumulative:
            alpha = 0
        case .exponential(let halfLife):
            precondition(halfLife > 0 && halfLife.isFinite, "halfLife must be positive")
            alpha = 1 - DeterministicMath.exp2(-1 / halfLife)
        }
        storage = [Double](repeating: 0, count: 3 * configuration.dimension)
    }

    /// Creates a cumulative (Welford) standardiser with the default clip of 5.
    public init(dimension: Int, clip: Double = 5) {
        self.init(configuration: Configuration(dimension: dimension, clip: clip))
    }

    /// Number of dimensions.
    @inlinable
    public var dimension: Int { configuration.dimension }

    /// Running mean of dimension `index`.
    public func mean(at index: Int) -> Double { storage[index] }

    /// Running population variance of dimension `index`.
    public func variance(at index: Int) -> Double { storage[dimension + index] }

    /// Number of (non-NaN) observations of dimension `index`.
    public func count(at index: Int) -> Double { storage[2 * dimension + index] }

    @inline(__always)
    static func standardize(_ x: Double, mean: Double, variance: Double, clip: Double, floor: Double) -> Double {
        if x.isNaN || !(variance > floor) { return 0 }
        let z = (x - mean) / DeterministicMath.squareRoot(variance)
        return z < -clip ? -clip : (z > clip ? clip : z)
    }

    @inline(__always)
    static func observe(_ x: Double, _ s: UnsafeMutablePointer<Double>, _ d: Int, _ i: Int, alpha: Double) {
        let n = s[2 * d + i] + 1
        let a = max(alpha, 1 / n)
        let mean = s[i]
        let diff = x - mean
        let increment = a * diff
        s[i] = mean + increment
        s[d + i] = (1 - a) * (s[d + i] + diff * increment)
        s[2 * d + i] = n
    }

    /// Replaces each value with its clipped z-score under the current statistics (no update).
    public func transform(_ x: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension, "OnlineStandardizer: wrong dimension")
        let d = dimension
        let clip = configuration.clip
        let floor = configuration.minimumVariance
        storage.withUnsafeBufferPointer { s in
            for i in 0..<d {
                x[i] = Self.standardize(x[i], mean: s[i], variance: s[d + i], clip: clip, floor: floor)
            }
        }
    }

    /// Writes the clipped z-scores of `x` into `output` (no update).
    public func transform(_ x: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension && output.count >= dimension, "OnlineStandardizer: wrong dimension")
        let d = dimension
        let clip = configuration.clip
        let floor = configuration.minimumVariance
        storage.withUnsafeBufferPointer { s in
            for i in 0..<d {
                output[i] = Self.standardize(x[i], mean: s[i], variance: s[d + i], clip: clip, floor: floor)
            }
        }
    }

    /// Replaces each value with its clipped z-score under the current statistics (no update).
    public func transform(_ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { transform($0) }
    }

    /// Adds one observation (a `NaN` component leaves its dimension unchanged).
    public mutating func update(with x: UnsafeBufferPointer<Double>) {
        precondition(x.count == dimension, "OnlineStandardizer: wrong dimension")
        let d = dimension
        let alpha = alpha
        storage.withUnsafeMutableBufferPointer { buffer in
            let s = buffer.baseAddress!
            for i in 0..<d where !x[i].isNaN {
                Self.observe(x[i], s, d, i, alpha: alpha)
            }
        }
    }

    /// Adds one observation (a `NaN` component leaves its dimension unchanged).
    public mutating func update(with x: [Double]) {
        x.withUnsafeBufferPointer { update(with: $0) }
    }

    /// In one pass: replaces each raw value with its z-score under the statistics *before*
    /// this observation, then adds the raw value to the statistics. Equivalent to
    /// `transform` on a copy followed by `update` with the raw values (prequential order:
    /// a transaction is judged by history that does not include itself).
    public mutating func transformThenUpdate(_ x: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == dimension, "OnlineStandardizer: wrong dimension")
        let d = dimension
        let clip = configuration.clip
        let floor = configuration.minimumVariance
        let alpha = alpha
        guard let xp = x.baseAddress else { return }
        storage.withUnsafeMutableBufferPointer { buffer in
            let m = buffer.baseAddress!
            Self.fusedPass(xp, m, d, clip, floor, alpha)
        }
    }

    /// The body of `transformThenUpdate`: branch-free (selects only) so the compiler
    /// vectorises it; NaN inputs are neutralised to the mean and their updates discarded.
    @inline(__always)
    static func fusedPass(
        _ xp: UnsafeMutablePointer<Double>, _ m: UnsafeMutablePointer<Double>, _ d: Int, _ clip: Double,
        _ floor: Double, _ alpha: Double
    ) {
        let v = m + d
        let c = m + 2 * d
        for i in 0..<d {
            let raw = xp[i]
            let mean = m[i]
            let variance = v[i]
            let count = c[i]
            let present = raw == raw
            let value = present ? raw : mean
            let diff = value - mean
            let usable = variance > floor
            let z = diff / DeterministicMath.squareRoot(usable ? variance : 1)
            let clipped = z < -clip ? -clip : (z > clip ? clip : z)
            xp[i] = present && usable ? clipped : 0
            let n = count + 1
            let inverse = 1 / n
            let a = alpha > inverse ? alpha : inverse
            let increment = a * diff
            // For a NaN input diff = +0, so this adds +0: the mean is unchanged bit for bit
            // (it starts at +0 and a round-to-nearest sum is never -0 unless both terms are).
            m[i] = mean + increment
            v[i] = present ? (1 - a) * (variance + diff * increment) : variance
            c[i] = present ? n : count
        }
    }

    /// `transformThenUpdate` over an array.
    public mutating func transformThenUpdate(_ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { transformThenUpdate($0) }
    }

    // MARK: StateCodable

    static let layoutVersion: UInt8 = 1

    /// Writes configuration and statistics.
    public func encode(to writer: inout StateWriter) {
        writer.writeUInt8(Self.layoutVersion)
        writer.writeUInt64(UInt64(dimension))
        switch configuration.averaging {
        case .cumulative:
            writer.writeUInt8(0)
            writer.writeDouble(0)
        case .exponential(let halfLife):
            writer.writeUInt8(1)
            writer.writeDouble(halfLife)
        }
        writer.writeDouble(configuration.clip)
        writer.writeDouble(configuration.minimumVariance)
        writer.writeDoubles(storage)
    }

    /// Restores a standardiser written by `encode(to:)`.
    public init(from reader: inout StateReader) throws(StateError) {
        let version = try reader.readUInt8()
        guard version == Self.layoutVersion else {
            throw StateError.corrupt("unknown OnlineStandardizer layout \(version)")
        }
        let dimension = try reader.readUInt64()
        guard dimension > 0 && dimension < 1 << 24 else {
            throw StateError.corrupt("OnlineStandardizer dimension \(dimension) out of range")
        }
        let mode = try reader.readUInt8()
        let halfLife = try reader.readDouble()
        let averaging: Configuration.Averaging
        switch mode {
        case 0: averaging = .cumulative
        case 1 where halfLife > 0 && halfLife.isFinite: averaging = .exponential(halfLife: halfLife)
        default: throw StateError.corrupt("OnlineStandardizer averaging mode \(mode) invalid")
        }
        let clip = try reader.readDouble()
        let minimumVariance = try reader.readDouble()
        guard clip > 0 else { throw StateError.corrupt("OnlineStandardizer clip \(clip) invalid") }
        self.init(
            configuration: Configuration(
                dimension: Int(dimension), averaging: averaging, clip: clip, minimumVariance: minimumVariance))
        storage = try reader.readDoubles(expectedCount: 3 * Int(dimension))
    }
}
