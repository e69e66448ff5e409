/// Elementary functions that give bit-identical results on every machine and operating system.
///
/// The C library's `exp` and `log` differ between libm implementations (glibc, musl, Apple's
/// libm) and even between glibc releases, so a score computed with them may change when an
/// auditor replays history on another machine. These functions are ports of the classic
/// fdlibm algorithms (Sun Microsystems, 1993; the same polynomials as FreeBSD's msun) written
/// with IEEE-754 addition, subtraction, multiplication and division only. Swift never contracts
/// `a * b + c` into a fused multiply-add on its own, so every step is correctly rounded and the
/// result depends only on the input bits: the same on every IEEE-754 binary64 machine.
///
/// Accuracy: below 1 ulp for `exp` and `log` over their whole domains (fdlibm's bound);
/// the test suite checks agreement with the platform libm to within 1 ulp.
public enum DeterministicMath {
    /// `e^x`, bit-identical everywhere; error below 1 ulp.
    ///
    /// Returns `+infinity` above 709.78, `0` below −745.13, `NaN` for `NaN`.
    @inlinable
    public static func exp(_ x: Double) -> Double {
        let overflowThreshold = Double(bitPattern: 0x4086_2E42_FEFA_39EF)  // 709.782712893384
        let underflowThreshold = Double(bitPattern: 0xC087_4910_D52D_3051)  // -745.1332191019411
        let ln2Hi = Double(bitPattern: 0x3FE6_2E42_FEE0_0000)
        let ln2Lo = Double(bitPattern: 0x3DEA_39EF_3579_3C76)
        let invLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE)
        let p1 = Double(bitPattern: 0x3FC5_5555_5555_553E)
        let p2 = Double(bitPattern: 0xBF66_C16C_16BE_BD93)
        let p3 = Double(bitPattern: 0x3F11_566A_AF25_DE2C)
        let p4 = Double(bitPattern: 0xBEBB_BD41_C5D2_6BF1)
        let p5 = Double(bitPattern: 0x3E66_3769_72BE_A4D0)

        if x.isNaN { return x }
        if x > overflowThreshold { return .infinity }
        if x < underflowThreshold { return 0 }
        let magnitude = x.magnitude
        if magnitude < 0x1p-28 { return 1 + x }

        var r = x
        var hi = 0.0
        var lo = 0.0
        var k = 0
        if magnitude > 0.5 * Double(bitPattern: 0x3FE6_2E42_FEFA_39EF) {
            // Argument reduction: x = k*ln2 + r, |r| <= 0.5*ln2.
            k = Int(invLn2 * x + (x < 0 ? -0.5 : 0.5))
            let kd = Double(k)
            hi = x - kd * ln2Hi
            lo = kd * ln2Lo
            r = hi - lo
        }
        let t = r * r
        let c = r - t * (p1 + t * (p2 + t * (p3 + t * (p4 + t * p5))))
        if k == 0 { return 1 - ((r * c) / (c - 2) - r) }
        let y = 1 - ((lo - (r * c) / (2 - c)) - hi)
        return scaleByPowerOfTwo(y, k)
    }

    /// Natural logarithm, bit-identical everywhere; error below 1 ulp.
    ///
    /// `log(0) = -infinity`, `log(x < 0) = NaN`, `log(+infinity) = +infinity`.
    @inlinable
    public static func log(_ input: Double) -> Double {
        let ln2Hi = Double(bitPattern: 0x3FE6_2E42_FEE0_0000)
        let ln2Lo = Double(bitPattern: 0x3DEA_39EF_3579_3C76)
        let lg1 = Double(bitPattern: 0x3FE5_5555_5555_5593)
        let lg2 = Double(bitPattern: 0x3FD9_9999_9997_FA04)
        let lg3 = Double(bitPattern: 0x3FD2_4924_9422_9359)
        let lg4 = Double(bitPattern: 0x3FCC_71C5_1D8E_78AF)
        let lg5 = Double(bitPattern: 0x3FC7_4664_96CB_03DE)
        let lg6 = Double(bitPattern: 0x3FC3_9A09_D078_C69F)
        let lg7 = Double(bitPattern: 0x3FC2_F112_DF3E_5244)

        var x = input
        var bits = x.bitPattern
        var hx = Int32(bitPattern: UInt32(truncatingIfNeeded: bits >> 32))
        var k: Int32 = 0
        if hx < 0x0010_0000 {  // x < 2^-1022: zero, negative or subnormal
            if bits & 0x7FFF_FFFF_FFFF_FFFF == 0 { return -.infinity }
            if hx < 0 { return .nan }
            k -= 54
            x *= 0x1p54
            bits = x.bitPattern
            hx = Int32(bitPattern: UInt32(truncatingIfNeeded: bits >> 32))
        }
        if hx >= 0x7FF0_0000 { return x + x }
        k += (hx >> 20) - 1023
        hx &= 0x000F_FFFF
        let i = (hx &+ 0x95F64) & 0x10_0000
        // Normalise x into [sqrt(2)/2, sqrt(2)).
        let high = UInt64(UInt32(bitPattern: hx | (i ^ 0x3FF0_0000)))
        x = Double(bitPattern: (high << 32) | (bits & 0xFFFF_FFFF))
        k += i >> 20
        let f = x - 1.0
        let dk = Double(k)
        if (0x000F_FFFF & (2 &+ hx)) < 3 {  // -2^-20 <= f < 2^-20
            if f == 0 {
                return k == 0 ? 0 : dk * ln2Hi + dk * ln2Lo
            }
            let r = f * f * (0.5 - 0.33333333333333333 * f)
            return k == 0 ? f - r : dk * ln2Hi - ((r - dk * ln2Lo) - f)
        }
        let s = f / (2.0 + f)
        let z = s * s
        var j = hx &- 0x6147A
        let w = z * z
        let j2 = 0x6B851 &- hx
        let t1 = w * (lg2 + w * (lg4 + w * lg6))
        let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        j |= j2
        let r = t2 + t1
        if j > 0 {
            let hfsq = 0.5 * f * f
            if k == 0 { return f - (hfsq - s * (hfsq + r)) }
            return dk * ln2Hi - ((hfsq - (s * (hfsq + r) + dk * ln2Lo)) - f)
        }
        if k == 0 { return f - s * (f - r) }
        return dk * ln2Hi - ((s * (f - r) - dk * ln2Lo) - f)
    }

    /// `2^x` computed as `exp(x * ln 2)`; bit-identical everywhere (error a few ulp).
    @inlinable
    public static func exp2(_ x: Double) -> Double {
        exp(x * 0.69314718055994530942)
    }

    /// The logistic function `1 / (1 + e^-x)` without overflow for any `x`.
    ///
    /// For `x >= 0` it evaluates `1 / (1 + e^-x)`, for `x < 0` it evaluates `e^x / (1 + e^x)`,
    /// so the exponential never overflows and tiny probabilities keep their relative precision.
    /// Results lie in [0, 1]; `NaN` maps to `NaN`.
    @inlinable
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 {
            return 1 / (1 + exp(-x))
        }
        let e = exp(x)
        return e / (1 + e)
    }

    /// The correctly rounded IEEE-754 square root of a value that is non-negative by
    /// construction (a variance, a sum of squares); for negative `x` it returns `sqrt(|x|)`.
    ///
    /// Taking the magnitude first tells the optimiser the argument is non-negative, so it
    /// emits the bare `sqrtsd`/`sqrtpd` instruction and can vectorise loops; a plain
    /// `squareRoot()` keeps a call to libm's `sqrt` for negative inputs (for `errno`), which
    /// blocks vectorisation.
    @usableFromInline @inline(__always)
    static func squareRoot(_ x: Double) -> Double {
        x.magnitude.squareRoot()
    }

    /// The largest integer-valued `Double` not above `x`, for `|x| < 2^62` (larger magnitudes
    /// are already integers and are returned unchanged; `NaN` gives `NaN`). Exact, and free
    /// of C library calls.
    @inlinable
    public static func floor(_ x: Double) -> Double {
        guard x.magnitude < 0x1p62 else { return x }
        let truncated = Double(Int64(x))
        if truncated == x { return x }  // integers, including -0.0
        return truncated > x ? truncated - 1 : truncated
    }

    /// `y * 2^k` for `y` in [0.5, 2] and `k` in [-1075, 1024], rounding once.
    @inlinable
    static func scaleByPowerOfTwo(_ y: Double, _ k: Int) -> Double {
        if k >= -1021 && k <= 1023 {
            return y * Double(bitPattern: UInt64(0x3FF + k) << 52)
        }
        if k > 1023 {
            return y * 2.0 * Double(bitPattern: UInt64(0x3FF + (k - 1)) << 52)
        }
        // Result may be subnormal: scale into the normal range exactly, then round once.
        let exact = y * Double(bitPattern: UInt64(0x3FF + (k + 1000)) << 52)
        return exact * 0x1p-1000
    }
}
