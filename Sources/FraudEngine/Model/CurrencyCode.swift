/// An ISO 4217 alphabetic currency code, packed into three bytes.
///
/// Only codes in ``CurrencyCode/known`` are accepted by the decoder, so a typo such as
/// `"USX"` is reported instead of silently scored.
public struct CurrencyCode: Hashable, Sendable, CustomStringConvertible {
    /// The three ASCII letters packed big-endian into the low 24 bits.
    public let packed: UInt32

    /// Creates a code from three uppercase ASCII letters, if it is a known ISO 4217 code.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 3 else { return nil }
        self.init(bytes[0], bytes[1], bytes[2])
    }

    /// Creates a code from three bytes, if they spell a known ISO 4217 code.
    public init?(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        let packed = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        guard CurrencyCode.known.contains(packed) else { return nil }
        self.packed = packed
    }

    /// The three-letter code.
    public var description: String {
        String(decoding: [UInt8(packed >> 16 & 0xFF), UInt8(packed >> 8 & 0xFF), UInt8(packed & 0xFF)], as: UTF8.self)
    }

    /// Active ISO 4217 codes (list of 2024), packed.
    public static let known: Set<UInt32> = {
        let codes = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP \
            BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB \
            EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY \
            KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR \
            MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB \
            RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD \
            TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XDR \
            XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWL
            """
        var set = Set<UInt32>()
        for code in codes.split(separator: " ") {
            let b = Array(code.utf8)
            set.insert(UInt32(b[0]) << 16 | UInt32(b[1]) << 8 | UInt32(b[2]))
        }
        return set
    }()
}
