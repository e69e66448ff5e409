import Testing
@testable import FraudEngine

@Suite struct TransactionDecoderTests {
    let decoder = TransactionDecoder()

    @Test func decodesEveryField() throws {
        let json = """
            {"transaction_id":"tx-2026-04-01-000123","card_id":"card_004821","merchant_id":"merchant_0042",\
            "amount":57.23,"currency":"EUR","timestamp":"2026-04-01T12:00:00.123Z","terminal_id":"T008812",\
            "mcc":5411,"country":"FR","channel":"card_present","latitude":48.8566,"longitude":-2.3522}
            """
        let t = try decoder.decode(json)
        #expect(t.transactionID == "tx-2026-04-01-000123")
        #expect(t.cardID == "card_004821")
        #expect(t.merchantID == "merchant_0042")
        #expect(t.amount == Money(units: 572_300))
        #expect(t.currency == CurrencyCode("EUR"))
        #expect(t.timestamp == 1_775_044_800_123)
        #expect(t.terminalID == "T008812")
        #expect(t.mcc == 5411)
        #expect(t.country == "FR")
        #expect(t.channel == "card_present")
        #expect(t.latitude == 48.8566)
        #expect(t.longitude == -2.3522)
    }

    @Test func decodesRequiredFieldsOnly() throws {
        let t = try decoder.decode(CodecFixtures.transaction())
        #expect(t == Transaction(transactionID: "tx-1", cardID: "card-1", merchantID: "m-1", amount: Money(units: 125_000),
                                 currency: CurrencyCode("EUR")!, timestamp: 1_775_044_800_123))
    }

    @Test(arguments: [
        (#""2026-04-01T12:00:00.123Z""#, Int64(1_775_044_800_123)),
        (#""2026-04-01T12:00:00Z""#, 1_775_044_800_000),
        (#""2026-04-01T14:00:00+02:00""#, 1_775_044_800_000),
        (#""2026-04-01T06:30:00.5-05:30""#, 1_775_044_800_500),
        ("1775044800123", 1_775_044_800_123),
        ("1775044800123.0", 1_775_044_800_123),
        (#""2026-04-01T12:00:00\u002e123Z""#, 1_775_044_800_123),  // escaped '.'
    ])
    func acceptsBothTimestampForms(value: String, millis: Int64) throws {
        let t = try decoder.decode(CodecFixtures.transaction(replacing: ["timestamp": value]))
        #expect(t.timestamp == millis)
    }

    @Test func decodesStringEscapes() throws {
        let json = CodecFixtures.transaction(replacing: [
            "transaction_id": #""q\"b\\s\/b\bf\fn\nr\rt\t""#,
            "card_id": #""caf\u00e9 \u00E9""#,
            "merchant_id": #""smile \ud83d\ude00 raw é 😀""#,
        ])
        let t = try decoder.decode(json)
        #expect(t.transactionID == "q\"b\\s/b\u{08}f\u{0C}n\nr\rt\t")
        #expect(t.cardID == "café é")
        #expect(t.merchantID == "smile 😀 raw é 😀")
    }

    @Test func escapedKeysMatchFields() throws {
        let json = #"{"transaction\u005fid":"tx-1","card_id":"c","merchant_id":"m","\u0061mount":1,"currency":"EUR","timestamp":1775044800000}"#
        let t = try decoder.decode(json)
        #expect(t.transactionID == "tx-1")
        #expect(t.amount == Money(whole: 1))
    }

    @Test func skipsUnknownFieldsOfEveryKind() throws {
        let json = CodecFixtures.transaction(adding: [
            ("device", #"{"fp":"a\"}b","signals":[1,-2.5e-3,true,false,null,{"x":[[],{}]}],"empty":{}}"#),
            ("tags", #"["a","]",["nested",{"k":"}"}]]"#),
            ("n", "-0.0E+5"),
            ("flag", "false"),
            ("nothing", "null"),
            ("text", #""unicode \ud83d\ude00 é""#),
        ])
        let t = try decoder.decode(json)
        #expect(t.transactionID == "tx-1")
        #expect(t.currency == CurrencyCode("EUR"))
    }

    @Test func nullOptionalFieldsAreAbsent() throws {
        let json = CodecFixtures.transaction(adding: [
            ("terminal_id", "null"), ("mcc", "null"), ("country", "null"), ("channel", "null"),
            ("latitude", "null"), ("longitude", "null"),
        ])
        let t = try decoder.decode(json)
        #expect(t.terminalID == nil && t.mcc == nil && t.country == nil && t.channel == nil)
        #expect(t.latitude == nil && t.longitude == nil)
    }

    @Test func toleratesWhitespaceEverywhere() throws {
        let json = " \t\r\n{ \"transaction_id\" : \"tx-1\" ,\n \"card_id\":\"c\",\"merchant_id\"\t:\"m\", \"amount\" : 1.5 ,"
            + "\"currency\":\"USD\" , \"timestamp\" : 1775044800000 }\r\n"
        let t = try decoder.decode(json)
        #expect(t.amount == Money(units: 15_000))
        #expect(t.currency == CurrencyCode("USD"))
    }

    @Test func moneyIsExact() throws {
        func amount(_ text: String) throws -> Money {
            try decoder.decode(CodecFixtures.transaction(replacing: ["amount": text])).amount
        }
        #expect(try amount("220.01") > amount("220"))
        #expect(try amount("220.0001") > amount("220"))
        #expect(try amount("0.1").units + amount("0.2").units == amount("0.3").units)
        #expect(try amount("0.0001") == Money(units: 1))
        #expect(try amount("12.50000") == Money(units: 125_000))
        #expect(try amount("220") == Money(whole: 220))
        #expect(try amount("1000000000") == Money(whole: 1_000_000_000))  // the default maximum, inclusive
        #expect(try amount("999999999.9999") == Money(units: 9_999_999_999_999))
    }

    @Test func integersMayHaveAZeroFraction() throws {
        let t = try decoder.decode(CodecFixtures.transaction(adding: [("mcc", "5411.00")]))
        #expect(t.mcc == 5411)
    }

    @Test func coordinatesRoundCorrectly() throws {
        let t = try decoder.decode(CodecFixtures.transaction(adding: [
            ("latitude", "-33.86881234567891"), ("longitude", "1.5e2"),
        ]))
        #expect(t.latitude == -33.86881234567891)
        #expect(t.longitude == 150)
        let edges = try decoder.decode(CodecFixtures.transaction(adding: [("latitude", "-90"), ("longitude", "180.0")]))
        #expect(edges.latitude == -90 && edges.longitude == 180)
    }

    @Test func identifierLengthCountsCharactersNotBytes() throws {
        let ascii = String(repeating: "a", count: 128)
        let accented = String(repeating: "é", count: 128)  // 256 bytes, 128 characters
        #expect(try decoder.decode(CodecFixtures.transaction(replacing: ["card_id": "\"\(ascii)\""])).cardID == ascii)
        #expect(try decoder.decode(CodecFixtures.transaction(replacing: ["card_id": "\"\(accented)\""])).cardID == accented)
    }

    @Test func everyInputFormDecodesTheSame() throws {
        let json = CodecFixtures.transaction(adding: [("mcc", "5812")])
        let bytes = Array(json.utf8)
        let expected = try decoder.decode(json)
        #expect(try decoder.decode(bytes) == expected)
        #expect(try decoder.decode(bytes[...]) == expected)
        #expect(try decoder.decode(bytes.lazy.map { $0 }) == expected)  // not contiguous: copied
        #expect(try bytes.withUnsafeBytes { raw throws(DecodeError) in try decoder.decode(raw) } == expected)
    }

    @Test func benchmarkMessagesDecodeAndAreTypical() throws {
        let benchmark = DecodeBenchmark(distinctMessages: 64)
        let messages = benchmark.messages()
        #expect(messages.count == 64)
        for message in messages {
            #expect((230...300).contains(message.count))
            _ = try decoder.decode(message)
        }
        let result = try benchmark.run(count: 1000)
        #expect(result.messages == 1000)
        #expect(result.messagesPerSecond > 0)
    }
}
