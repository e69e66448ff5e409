/// A seeded, reproducible random number generator: xoshiro256** (Blackman & Vigna, 2018)
/// whose 256-bit state is filled from the seed by SplitMix64.
///
/// Every draw is a pure function of the seed and the number of previous draws, on every
/// machine: the floating-point methods use only IEEE-754 basic operations and
/// ``DeterministicMath``, never the C library. Use this generator — never
/// `SystemRandomNumberGenerator` — for anything that can reach a score, a feature, a split
/// point or a serialised byte.
///
/// Prefer the methods defined here (`nextDouble()`, `nextInt(below:)`, `nextGaussian()`,
/// `shuffle(_:)`) over the standard library's `Double.random(in:using:)` or
/// `Array.shuffle(using:)`: the standard library does not promise that its algorithms, and
/// so the values they draw, stay the same across Swift releases.
///
/// The state is 32 bytes; copying the struct copies the stream (both copies then produce the
/// same values). Conforms to ``StateCodable`` so a checkpoint resumes the exact stream.
public struct DeterministicRandom: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator whose state is four consecutive SplitMix64 outputs from `seed`.
    ///
    /// Every seed, including 0, gives a valid (non-zero) state.
    @inlinable
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// Creates a generator from a raw xoshiro256** state (for tests against the reference
    /// implementation and for restoring a state). An all-zero state is replaced by the state
    /// of `init(seed: 0)`, because xoshiro's all-zero state only ever produces zeros.
    @inlinable
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        if state.0 | state.1 | state.2 | state.3 == 0 {
            self.init(seed: 0)
        } else {
            self = DeterministicRandom(seed: 0)
            (s0, s1, s2, s3) = state
        }
    }

    /// The raw 256-bit state, for inspection and serialisation.
    @inlinable
    public var state: (UInt64, UInt64, UInt64, UInt64) { (s0, s1, s2, s3) }

    /// Derives an independent generator for sub-stream `stream` of `seed`.
    ///
    /// Use one stream per purpose (for example, tree `i` of a forest, or the simulator's
    /// customer table vs. its transaction stream) so that adding draws to one purpose never
    /// shifts the values another purpose sees. The derived seed is
    /// `mix64(seed ^ mix64(stream + 0x9E3779B97F4A7C15))`, seeded through SplitMix64 as usual.
    @inlinable
    public static func fork(seed: UInt64, stream: UInt64) -> DeterministicRandom {
        let streamKey = StableHash.mix64(stream &+ 0x9E37_79B9_7F4A_7C15)
        return DeterministicRandom(seed: StableHash.mix64(seed ^ streamKey))
    }

    /// The next 64 uniformly distributed bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }

    /// A uniform `Double` in [0, 1) with 53 random bits: `Double(next() >> 11) * 2^-53`.
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform `Double` in [`lower`, `upper`): `lower + (upper - lower) * nextDouble()`.
    @inlinable
    public mutating func nextDouble(in lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextDouble()
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform integer in `0 ..< bound` without modulo bias (Lemire's multiply-and-reject).
    ///
    /// - Precondition: `bound > 0`.
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let n = UInt64(bound)
        var m = next().multipliedFullWidth(by: n)
        if m.low < n {
            let threshold = (0 &- n) % n
            while m.low < threshold {
                m = next().multipliedFullWidth(by: n)
            }
        }
        return Int(m.high)
    }

    /// A uniform integer in `range` (closed), without bias.
    @inlinable
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// `true` with probability `probability` (compares one `nextDouble()` draw).
    @inlinable
    public mutating func nextBool(probability: Double) -> Bool {
        nextDouble() < probability
    }

    /// A standard normal draw (mean 0, variance 1) by Marsaglia's polar method.
    ///
    /// The polar method produces two independent normals per accepted pair; this method
    /// returns the first and discards the second, so each call depends only on the stream
    /// position — there is no hidden cached value that a checkpoint could lose. Uses
    /// ``DeterministicMath/log(_:)`` and the correctly rounded `squareRoot()`, so draws are
    /// identical on every machine. Consumes a random, but reproducible, even number of words.
    @inlinable
    public mutating func nextGaussian() -> Double {
        while true {
            let u = 2 * nextDouble() - 1
            let v = 2 * nextDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * DeterministicMath.squareRoot(-2 * DeterministicMath.log(s) / s)
            }
        }
    }

    /// A normal draw with the given mean and standard deviation.
    @inlinable
    public mutating func nextGaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextGaussian()
    }

    /// An exponential draw with the given rate (mean `1 / rate`), by inversion.
    @inlinable
    public mutating func nextExponential(rate: Double) -> Double {
        -DeterministicMath.log(1 - nextDouble()) / rate
    }

    /// A Poisson draw with the given mean.
    ///
    /// Means below 10 use Knuth's multiplication method (expected `mean + 1` uniform draws);
    /// larger means use Hörmann's PTRS transformed rejection (1993), which needs about
    /// 1.1 pairs of uniforms regardless of the mean. Both are deterministic.
    ///
    /// - Precondition: `mean >= 0` and finite.
    public mutating func nextPoisson(mean: Double) -> Int {
        precondition(mean >= 0 && mean.isFinite, "nextPoisson(mean:) needs a finite mean >= 0")
        if mean == 0 { return 0 }
        if mean < 10 {
            let limit = DeterministicMath.exp(-mean)
            var k = 0
            var product = nextDouble()
            while product > limit {
                k += 1
                product *= nextDouble()
            }
            return k
        }
        return poissonPTRS(mean)
    }

    @usableFromInline
    mutating func poissonPTRS(_ lambda: Double) -> Int {
        let sqrtLambda = DeterministicMath.squareRoot(lambda)
        let logLambda = DeterministicMath.log(lambda)
        let b = 0.931 + 2.53 * sqrtLambda
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        let logInvAlpha = DeterministicMath.log(invAlpha)
        while true {
            let u = nextDouble() - 0.5
            let v = nextDouble()
            let us = 0.5 - u.magnitude
            let kd = DeterministicMath.floor((2 * a / us + b) * u + lambda + 0.43)
            if us >= 0.07 && v <= vr { return Int(kd) }
            if kd < 0 || (us < 0.013 && v > us) { continue }
            let lhs = DeterministicMath.log(v) + logInvAlpha - DeterministicMath.log(a / (us * us) + b)
            let rhs = -lambda + kd * logLambda - Self.logFactorial(kd)
            if lhs <= rhs { return Int(kd) }
        }
    }

    /// `log(k!)`: exact table below 10, Stirling's series (error < 1e-10) above.
    @usableFromInline
    static func logFactorial(_ k: Double) -> Double {
        switch k {
        case 0, 1: return 0
        case 2: return 0.69314718055994530942
        case 3: return 1.79175946922805500081
        case 4: return 3.17805383034794561964
        case 5: return 4.78749174278204599424
        case 6: return 6.57925121201010099506
        case 7: return 8.52516136106541430017
        case 8: return 10.60460290274525022842
        case 9: return 12.80182748008146961121
        default:
            let x = k + 1
            let inv = 1 / x
            let inv2 = inv * inv
            let series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)))
            return (x - 0.5) * DeterministicMath.log(x) - x + 0.91893853320467274178 + series
        }
    }

    /// Shuffles `array` in place with the Fisher–Yates algorithm (stable across Swift releases,
    /// unlike `Array.shuffle(using:)`).
    @inlinable
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        var i = array.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            array.swapAt(i, j)
            i -= 1
        }
    }

    /// Advances the generator by 2^128 draws (xoshiro256**'s jump polynomial): calling it on
    /// copies gives up to 2^128 non-overlapping sub-sequences.
    public mutating func jump() {
        let polynomial: [UInt64] = [
            0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C,
        ]
        var t0: UInt64 = 0
        var t1: UInt64 = 0
        var t2: UInt64 = 0
        var t3: UInt64 = 0
        for word in polynomial {
            for bit in 0..<64 {
                if word & (1 << UInt64(bit)) != 0 {
                    t0 ^= s0
                    t1 ^= s1
                    t2 ^= s2
                    t3 ^= s3
                }
                _ = next()
            }
        }
        (s0, s1, s2, s3) = (t0, t1, t2, t3)
    }
}

/// SplitMix64 (Steele, Lea & Flood, 2014): the recommended seeder for the xoshiro family,
/// and a decent tiny generator on its own.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The 64-bit state (incremented by the golden-ratio constant on every draw).
    public var state: UInt64

    /// Creates a generator starting from `seed`.
    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The next 64 bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension DeterministicRandom: StateCodable {
    /// Writes the 32-byte state.
    public func encode(to writer: inout StateWriter) {
        writer.writeUInt64(s0)
        writer.writeUInt64(s1)
        writer.writeUInt64(s2)
        writer.writeUInt64(s3)
    }

    /// Restores the state written by `encode(to:)`.
    public init(from reader: inout StateReader) throws(StateError) {
        let a = try reader.readUInt64()
        let b = try reader.readUInt64()
        let c = try reader.readUInt64()
        let d = try reader.readUInt64()
        if a | b | c | d == 0 { throw StateError.corrupt("random generator state is all zeros") }
        (s0, s1, s2, s3) = (a, b, c, d)
    }
}
