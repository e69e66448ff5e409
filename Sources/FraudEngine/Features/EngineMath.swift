import FraudModels

/// Elementary functions for features, in plain IEEE 754 arithmetic so that every machine
/// gives bit-identical feature values (no platform libm): `exp`/`log` come from
/// ``DeterministicMath``; the day-cycle table and the distance use short series here.
@usableFromInline
enum EngineMath {
    /// e^x (fdlibm port in FraudModels: bit-identical everywhere).
    @inlinable
    static func exp(_ x: Double) -> Double { DeterministicMath.exp(x) }

    /// Natural logarithm (fdlibm port in FraudModels: bit-identical everywhere).
    @inlinable
    static func log(_ x: Double) -> Double { DeterministicMath.log(x) }

    /// log(1 + x) for x >= 0 (features: counts and durations); the small-x cancellation of
    /// `log(1 + x)` does not matter at feature precision.
    @inlinable
    static func log1p(_ x: Double) -> Double { DeterministicMath.log(1 + x) }

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

