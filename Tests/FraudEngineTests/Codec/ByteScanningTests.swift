import Testing
@testable import FraudEngine

/// The word-at-a-time string scan and the bitmap currency lookup agree with the plain rules.
@Suite struct ByteScanningTests {
    typealias F = CodecFixtures

    @Test func specialBytesAreFoundAtEveryPosition() throws {
        // Put each kind of special byte at every offset within and across 8-byte words.
        for position in 0..<24 {
            let before = String(repeating: "a", count: position)
            let after = String(repeating: "b", count: 24 - position)
            let escaped = try TransactionDecoder().decode(F.transaction(replacing: ["card_id": "\"\(before)\\\"\\\\\(after)\""]))
            #expect(escaped.cardID == before + "\"\\" + after)
            let accented = try TransactionDecoder().decode(F.transaction(replacing: ["card_id": "\"\(before)é\u{7F}😀\(after)\""]))
            #expect(accented.cardID == before + "é\u{7F}😀" + after)
            let json = F.transaction(replacing: ["card_id": "\"\(before)\u{01}\(after)\""])
            let error = try #require(F.transactionError(json))
            #expect(error.kind == .malformedJSON && error.field == "card_id")
            #expect(error.byteOffset == F.offset(of: "\"card_id\":", in: json) + 11 + position)
            let cut = F.transaction(replacing: ["card_id": "\"\(before)"]).dropLast()  // ends inside the string
            #expect(F.transactionError(String(cut))?.kind == .malformedJSON)
        }
    }

    @Test func wordTestMatchesByteTest() {
        var rng = CodecTestRandom(seed: 99)
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x61]
        for _ in 0..<100_000 {
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                bytes.append(rng.next() % 2 == 0 ? interesting[Int(rng.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: rng.next()))
            }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let first = bytes.firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x80 }
            let mask = JSONByteReader.specialBytes(word)
            let found = mask == 0 ? nil : mask.trailingZeroBitCount >> 3
            #expect(found == first, "\(bytes)")
            if found != first { return }
        }
    }

    @Test func currencyBitmapMatchesTheKnownSet() {
        var accepted = 0
        // Every triple of 'A'...'Z' plus the neighbours '@' and '['.
        let letters = Array(UInt8(ascii: "@")...UInt8(ascii: "["))
        for a in letters {
            for b in letters {
                for c in letters {
                    let fast = CurrencyCode(fastLookup: a, b, c)
                    if fast != CurrencyCode(a, b, c) { Issue.record("\(a) \(b) \(c) disagree") }
                    if fast != nil { accepted += 1 }
                }
            }
        }
        #expect(accepted == CurrencyCode.known.count)
        #expect(CurrencyCode(fastLookup: UInt8(ascii: "e"), UInt8(ascii: "u"), UInt8(ascii: "r")) == nil)
    }

    @Test func keyConstantsSpellTheirFieldNames() {
        typealias K = TransactionDecoder.Keys
        let table: [(String, JSONKeyWords)] = [
            ("transaction_id", K.transactionID), ("card_id", K.cardID), ("merchant_id", K.merchantID), ("amount", K.amount),
            ("currency", K.currency), ("timestamp", K.timestamp), ("terminal_id", K.terminalID), ("mcc", K.mcc),
            ("country", K.country), ("channel", K.channel), ("latitude", K.latitude), ("longitude", K.longitude),
        ]
        for (name, constant) in table {
            // Packed byte by byte (little room left) and word-wise (followed by other bytes).
            let exact = Array(name.utf8)
            let padded = exact + Array(#"":"zzzzzzzzzzzzzzzz"#.utf8)
            let byByte = exact.withUnsafeBufferPointer { JSONKeyWords($0, readable: $0.count) }
            let byWord = padded.withUnsafeBufferPointer { JSONKeyWords(UnsafeBufferPointer(rebasing: $0[0..<exact.count]), readable: $0.count) }
            #expect(byByte == constant, "\(name)")
            #expect(byWord == constant, "\(name)")
        }
    }
}
