import Testing
@testable import FraudSchema

@Suite struct JSONNumberTests {
    func n(_ text: String) -> JSONNumber { JSONNumber(text)! }

    @Test func parsesAndNormalises() {
        #expect(n("12.50") == n("12.5"))
        #expect(n("1.25e1") == n("12.5"))
        #expect(n("-0.0") == n("0"))
        #expect(!n("-0").isNegative)
        #expect(n("1000").digits == [1] && n("1000").exponent == 3)
        #expect(JSONNumber("01") == nil && JSONNumber("1.") == nil && JSONNumber(".5") == nil && JSONNumber("+1") == nil)
        #expect(JSONNumber("1e") == nil && JSONNumber("") == nil && JSONNumber("-") == nil && JSONNumber("1x") == nil)
    }

    @Test func comparesExactly() {
        #expect(n("220.01") > n("220"))
        #expect(n("0.1") < n("0.10000000000000000001"))
        #expect(n("-5") < n("0"))
        #expect(n("-5") < n("-4.999"))
        #expect(n("1e3") > n("999.9999"))
        #expect(n("0") < n("1e-400"))
        #expect(!(n("1") < n("1.0")) && !(n("1.0") < n("1")))
    }

    @Test func knowsIntegers() {
        #expect(n("5").isInteger && n("5.0").isInteger && n("5.411e3").isInteger && n("0").isInteger)
        #expect(!n("5.5").isInteger && !n("1e-1").isInteger)
    }

    @Test func multipleOfIsExact() {
        let tenThousandth = n("0.0001")
        #expect(n("12.3456").isMultiple(of: tenThousandth))
        #expect(n("12.50000").isMultiple(of: tenThousandth))
        #expect(!n("12.34567").isMultiple(of: tenThousandth))
        #expect(n("0.3").isMultiple(of: n("0.1")))  // 0.3 / 0.1 is 2.9999999999999996 in binary
        #expect(n("1e30").isMultiple(of: n("7e29")) == false)
        #expect(n("1e30").isMultiple(of: n("5")))
        #expect(n("-12").isMultiple(of: n("4")))
        #expect(!n("10").isMultiple(of: n("3")))
        #expect(n("1e400").isMultiple(of: tenThousandth))
    }

    @Test func describesCanonically() {
        #expect(n("12.50").description == "12.5")
        #expect(n("1e3").description == "1000")
        #expect(n("-0.0001").description == "-0.0001")
        #expect(n("1.5e-10").description == "1.5e-10")
        #expect(n("1e400").description == "1e400")
        #expect(n("4133980799999").description == "4133980799999")
        #expect(n("12.5").doubleValue == 12.5)
    }

    @Test func convertsDoublesExactlyFromTheirShortestText() {
        #expect(JSONNumber(0.1) == n("0.1"))
        #expect(JSONNumber(1e-5) == n("0.00001"))
        #expect(JSONNumber(1e16) == n("10000000000000000"))
        #expect(JSONNumber(-2.5) == n("-2.5"))
        #expect(JSONNumber(Double.nan) == nil && JSONNumber(Double.infinity) == nil)
    }
}
