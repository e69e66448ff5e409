import Testing
@testable import FraudEngine

@Suite struct CodecRoundTripTests {
    @Test func encodesTheSchemaFieldNamesInOrder() {
        let t = Transaction(
            transactionID: "tx-1", cardID: "card-1", merchantID: "m-1", amount: Money(units: 572_300),
            currency: CurrencyCode("EUR")!, timestamp: 1_775_044_800_123, terminalID: "T1", mcc: 5411,
            country: "FR", channel: "card_present", latitude: 48.8566, longitude: -2.3522
        )
        #expect(TransactionEncoder().encodeString(t) == """
            {"transaction_id":"tx-1","card_id":"card-1","merchant_id":"m-1","amount":57.23,"currency":"EUR",\
            "timestamp":"2026-04-01T12:00:00.123Z","terminal_id":"T1","mcc":5411,"country":"FR",\
            "channel":"card_present","latitude":48.8566,"longitude":-2.3522}
            """)
    }

    @Test func omitsAbsentOptionalFields() {
        let t = Transaction(transactionID: "tx-1", cardID: "c", merchantID: "m", amount: Money(whole: 220),
                            currency: CurrencyCode("USD")!, timestamp: 0)
        #expect(TransactionEncoder().encodeString(t)
            == #"{"transaction_id":"tx-1","card_id":"c","merchant_id":"m","amount":220,"currency":"USD","timestamp":"1970-01-01T00:00:00.000Z"}"#)
    }

    @Test func escapesStrings() {
        let t = Transaction(transactionID: "q\"b\\n\n\u{01}é😀", cardID: "c", merchantID: "m", amount: Money(units: 1),
                            currency: CurrencyCode("EUR")!, timestamp: 0)
        let text = TransactionEncoder().encodeString(t)
        #expect(text.hasPrefix(#"{"transaction_id":"q\"b\\n\n\u0001é😀","#))
        #expect(text.contains(#""amount":0.0001,"#))
    }

    @Test func appendsToAnExistingBuffer() {
        var buffer = Array("prefix ".utf8)
        LabelEncoder().encode(Label(transactionID: "tx-1", isFraud: false, reportedAt: 1), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self)
            == #"prefix {"transaction_id":"tx-1","is_fraud":false,"reported_at":"1970-01-01T00:00:00.001Z"}"#)
    }

    @Test func encodesLabels() {
        let label = Label(transactionID: "tx-1", isFraud: true, cardID: "card-9", reportedAt: 1_776_675_600_000)
        #expect(LabelEncoder().encodeString(label)
            == #"{"transaction_id":"tx-1","is_fraud":true,"card_id":"card-9","reported_at":"2026-04-20T09:00:00.000Z"}"#)
    }

    /// Random text: ASCII, escapes-needing characters, accents and astral scalars.
    private static func randomText(_ rng: inout CodecTestRandom, maxLength: Int) -> String {
        let alphabet: [Character] = Array("abcXYZ019-_./ ") + ["\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é", "ß", "中", "😀", "\u{7F}"]
        let length = 1 + Int(rng.next() % UInt64(maxLength))
        return String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    static func randomTransaction(_ rng: inout CodecTestRandom) -> Transaction {
        let codes = CurrencyCode.known.sorted()
        let packed = codes[Int(rng.next() % UInt64(codes.count))]
        let currency = CurrencyCode(UInt8(packed >> 16 & 0xFF), UInt8(packed >> 8 & 0xFF), UInt8(packed & 0xFF))!
        let range = DecoderLimits.default.timestampRange
        func maybe<T>(_ make: () -> T) -> T? { rng.next() % 3 == 0 ? nil : make() }
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return Transaction(
            transactionID: randomText(&rng, maxLength: 40),
            cardID: randomText(&rng, maxLength: 20),
            merchantID: randomText(&rng, maxLength: 20),
            amount: Money(units: 1 + Int64(rng.next() % UInt64(Money(whole: 1_000_000_000).units))),
            currency: currency,
            timestamp: range.lowerBound + Int64(rng.next() % UInt64(range.upperBound - range.lowerBound + 1)),
            terminalID: maybe { randomText(&rng, maxLength: 12) },
            mcc: maybe { Int(rng.next() % 10_000) },
            country: maybe { String([letters[Int(rng.next() % 26)], letters[Int(rng.next() % 26)]]) },
            channel: maybe { ["card_present", "ecommerce", "atm", "moto_2"][Int(rng.next() % 4)] },
            latitude: maybe { Double(bitPattern: rng.next()).isFinite ? Double(rng.next() % 180_000_001) / 1_000_000 - 90 : 0 },
            longitude: maybe { (Double(rng.next() >> 11) / Double(1 << 53)) * 360 - 180 }  // full binary precision
        )
    }

    @Test func randomTransactionsRoundTrip() throws {
        var rng = CodecTestRandom(seed: 20_260_401)
        let encoder = TransactionEncoder()
        let decoder = TransactionDecoder()
        for _ in 0..<5_000 {
            let original = Self.randomTransaction(&rng)
            let bytes = encoder.encode(original)
            let decoded = try decoder.decode(bytes)
            #expect(decoded == original, "\(String(decoding: bytes, as: UTF8.self))")
            if decoded != original { return }
        }
    }

    @Test func randomLabelsRoundTrip() throws {
        var rng = CodecTestRandom(seed: 7)
        let range = DecoderLimits.default.timestampRange
        for _ in 0..<2_000 {
            let original = Label(
                transactionID: Self.randomText(&rng, maxLength: 30),
                isFraud: rng.next() % 2 == 0,
                cardID: rng.next() % 2 == 0 ? nil : Self.randomText(&rng, maxLength: 10),
                reportedAt: range.lowerBound + Int64(rng.next() % UInt64(range.upperBound - range.lowerBound + 1))
            )
            let decoded = try LabelDecoder().decode(LabelEncoder().encode(original))
            #expect(decoded == original)
            if decoded != original { return }
        }
    }
}
