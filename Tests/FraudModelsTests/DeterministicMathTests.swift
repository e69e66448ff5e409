#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import FraudModels

@Suite struct DeterministicMathTests {
    @Test func expAgreesWithTheSystemLibraryWithinOneUlp() {
        var rng = DeterministicRandom(seed: 21)
        var worst: UInt64 = 0
        for i in 0..<200_000 {
            let x: Double
            switch i % 4 {
            case 0: x = rng.nextDouble(in: -745, 709.7)
            case 1: x = rng.nextDouble(in: -1, 1)
            case 2: x = rng.nextDouble(in: -40, 40)
            default: x = rng.nextDouble(in: -1e-6, 1e-6)
            }
            worst = max(worst, ulpDistance(DeterministicMath.exp(x), Glibc.exp(x)))
        }
        #expect(worst <= 1)
    }

    @Test func logAgreesWithTheSystemLibraryWithinOneUlp() {
        var rng = DeterministicRandom(seed: 22)
        var worst: UInt64 = 0
        for i in 0..<200_000 {
            let x: Double
            switch i % 4 {
            case 0: x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)  // any positive finite
            case 1: x = rng.nextDouble(in: 0.5, 2)
            case 2: x = rng.nextDouble(in: 1 - 1e-5, 1 + 1e-5)
            default: x = rng.nextDouble(in: 0, 1e6)
            }
            guard x > 0 else { continue }
            worst = max(worst, ulpDistance(DeterministicMath.log(x), Glibc.log(x)))
        }
        #expect(worst <= 1)
    }

    @Test func specialValues() {
        #expect(DeterministicMath.exp(0) == 1)
        #expect(DeterministicMath.exp(1) == 2.7182818284590455)  // fdlibm's (and Java StrictMath's) value, 1 ulp above e
        #expect(DeterministicMath.exp(710) == .infinity)
        #expect(DeterministicMath.exp(-746) == 0)
        #expect(DeterministicMath.exp(-.infinity) == 0)
        #expect(DeterministicMath.exp(.nan).isNaN)
        #expect(DeterministicMath.exp(-745).isSubnormal)
        #expect(DeterministicMath.log(1) == 0)
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.log(.infinity) == .infinity)
        #expect(DeterministicMath.log(.leastNonzeroMagnitude) == -744.4400719213812)
        #expect(DeterministicMath.log(2.718281828459045) == 1)
        #expect(DeterministicMath.exp2(10) == 1024 || ulpDistance(DeterministicMath.exp2(10), 1024) <= 2)
    }

    @Test func pinnedBitPatterns() {
        // Golden bits: the same on every machine, whatever its libm.
        #expect(DeterministicMath.exp(-3.25).bitPattern == 0x3FA3_DA36_8521_902D)
        #expect(DeterministicMath.log(123.456).bitPattern == 0x4013_4377_4F3E_2362)
        #expect(DeterministicMath.sigmoid(0.75).bitPattern == 0x3FE5_BBD4_F7A3_23EC)
    }

    @Test func floorIsExact() {
        #expect(DeterministicMath.floor(2.5) == 2)
        #expect(DeterministicMath.floor(-2.5) == -3)
        #expect(DeterministicMath.floor(-3) == -3)
        #expect(DeterministicMath.floor(-0.0).sign == .minus)
        #expect(DeterministicMath.floor(0x1p70) == 0x1p70)
        #expect(DeterministicMath.floor(.nan).isNaN)
        var rng = DeterministicRandom(seed: 23)
        for _ in 0..<10_000 {
            let x = rng.nextDouble(in: -1e9, 1e9)
            #expect(DeterministicMath.floor(x) == x.rounded(.down))
        }
    }

    @Test func sigmoidIsSafeAndSymmetric() {
        #expect(DeterministicMath.sigmoid(0) == 0.5)
        #expect(DeterministicMath.sigmoid(1_000) == 1)
        #expect(DeterministicMath.sigmoid(-1_000) == 0)
        #expect(DeterministicMath.sigmoid(-30) > 0)
        for x in stride(from: -20.0, through: 20, by: 0.37) {
            let p = DeterministicMath.sigmoid(x)
            #expect(p >= 0 && p <= 1)
            #expect(abs(p + DeterministicMath.sigmoid(-x) - 1) < 1e-15)
        }
    }
}
