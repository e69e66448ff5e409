import FraudModels

/// Elementary functions for features, in plain IEEE 754 arithmetic so that every machine
/// gives bit-identical feature values (no platform libm): `exp`/`log` come from
/// ``DeterministicMath``; the day-cycle table and the distance use short series here.
@usableFromInline
enum EngineMath {
    /// e^x for feature arithmetic (decay factors, recencies): range reduction to
    /// 2^k · 2^f and a degree-9 polynomial for 2^f, f in [0, 1); relative error below 1e-8,
    /// about four times cheaper than the correctly rounded fdlibm port. Only additions,
    /// multiplications and bit operations: bit-identical everywhere. 0 below −700.
    @inline(__always)
    static func exp(_ x: Double) -> Double {
        if !(x > -700) { return x.isNaN ? x : 0 }
        if x > 700 { return DeterministicMath.exp(x) }
        let y = x * 1.4426950408889634
        let k = y.rounded(.down)
        let f = y - k
        // 2^f = e^(f ln 2), Taylor to degree 9 in Horner form (|f ln2| < 0.7).
        let t = f * 0.6931471805599453
        var p = 1.0 / 362_880.0
        p = p * t + 1.0 / 40_320.0
        p = p * t + 1.0 / 5_040.0
        p = p * t + 1.0 / 720.0
        p = p * t + 1.0 / 120.0
        p = p * t + 1.0 / 24.0
        p = p * t + 1.0 / 6.0
        p = p * t + 0.5
        p = p * t + 1.0
        p = p * t + 1.0
        return p * Double(bitPattern: UInt64(Int(k) + 1023) << 52)
    }

    /// Natural logarithm for feature arithmetic, without division: x = m·2^e with m in
    /// [1, 2); a 256-entry table gives ln(c) and 1/c for c, the mantissa rounded down to 8
    /// bits; then ln(m) = ln(c) + ln(1 + r), r = m/c − 1 in [0, 1/256), by its series to r⁴
    /// (error below 1e-11). Tables are built once from ``DeterministicMath``; only
    /// multiplications, additions and bit operations per call: bit-identical everywhere.
    /// Positive finite normal inputs (amounts, counts + 1, ratios); others go to the fdlibm port.
    @inline(__always)
    static func log(_ x: Double) -> Double {
        if !(x >= 2.2250738585072014e-308) || x == .infinity { return DeterministicMath.log(x) }
        let bits = x.bitPattern
        let e = Int((bits >> 52) & 0x7FF) - 1023
        let m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        let i = Int((bits >> 44) & 0xFF)
        let table = logTable
        let r = m * table[2 * i + 1] - 1
        let series = r * (1 + r * (-0.5 + r * (1.0 / 3.0 - r * 0.25)))
        return Double(e) * 0.6931471805599453 + table[2 * i] + series
    }

    /// `[ln(c_i), 1/c_i]` for c_i = 1 + i/256, i in 0..<256.
    nonisolated(unsafe) static let logTable: UnsafeMutablePointer<Double> = {
        let t = UnsafeMutablePointer<Double>.allocate(capacity: 512)
        for i in 0..<256 {
            let c = 1 + Double(i) / 256
            t[2 * i] = DeterministicMath.log(c)
            t[2 * i + 1] = 1 / c
        }
        return t
    }()

    /// log(1 + x) for x >= 0 (features: counts and durations); the small-x cancellation of
    /// `log(1 + x)` does not matter at feature precision.
    @inline(__always)
    static func log1p(_ x: Double) -> Double { log(1 + x) }

    /// Logistic function.
    @inlinable
    static func sigmoid(_ x: Double) -> Double { DeterministicMath.sigmoid(x) }

    /// Sine for |x| <= π (Taylor series to degree 23; used only to build tables).
    static func sinSmall(_ x: Double) -> Double {
        var term = x
        var sum = x
        let x2 = x * x
        var n = 1.0
        for _ in 0..<12 {
            term *= -x2 / ((n + 1) * (n + 2))
            n += 2
            sum += term
        }
        return sum
    }

    /// Great-circle distance in kilometres (equirectangular approximation, accurate to
    /// well under 1 % below a few hundred kilometres and monotone beyond), degrees in.
    @inlinable
    static func distanceKm(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let degToRad = Double.pi / 180
        let meanLat = (lat1 + lat2) * 0.5 * degToRad
        // cos via the minute-of-day table would be too coarse: use a short even series.
        let c = cosSmall(meanLat)
        var dLon = abs(lon2 - lon1)
        if dLon > 180 { dLon = 360 - dLon }
        let x = dLon * degToRad * c
        let y = (lat2 - lat1) * degToRad
        return 6371.0 * (x * x + y * y).squareRoot()
    }

    /// Cosine for |x| <= π/2 (Taylor series to degree 16).
    @inlinable
    static func cosSmall(_ x: Double) -> Double {
        let x2 = x * x
        var s = 1.0 / 20_922_789_888_000.0
        s = -s * x2 + 1.0 / 87_178_291_200.0
        s = -s * x2 + 1.0 / 479_001_600.0
        s = -s * x2 + 1.0 / 3_628_800.0
        s = -s * x2 + 1.0 / 40_320.0
        s = -s * x2 + 1.0 / 720.0
        s = -s * x2 + 1.0 / 24.0
        s = -s * x2 + 0.5
        return -s * x2 + 1.0
    }

    /// Sine and cosine of the position in the day, one entry per minute (1,440 entries).
    static let dayCycle: [(sin: Float, cos: Float)] = (0..<1440).map { minute in
        // angle in (-π, π]: shift so the series stays in its accurate range.
        var angle = Double(minute) / 1440.0 * 2 * Double.pi
        if angle > Double.pi { angle -= 2 * Double.pi }
        let s = sinSmall(angle)
        let c = sinSmall(angle >= 0 ? Double.pi / 2 - angle : -Double.pi / 2 - angle) * (angle >= 0 ? 1 : -1)
        return (Float(s), Float(c))
    }
}

