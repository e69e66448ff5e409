import Foundation
import Testing
@testable import FraudEngine

/// The decoders agree with `schemas/`: every example the schema calls valid decodes, and
/// every invalid one is rejected with the field and reason listed in
/// `schemas/examples/expectations.json` (FraudSchemaTests checks the same files against the
/// schemas, so decoder and schema agree on each).
@Suite struct SchemaExamplesDecoderTests {
    static let schemasDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Codec
        .deletingLastPathComponent()  // FraudEngineTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("schemas")
    static let examplesDirectory = schemasDirectory.appendingPathComponent("examples")

    /// A Kafka message timestamp for labels without `reported_at`.
    static let messageTimestamp: EpochMillis = 1_776_000_000_000

    static func exampleNames(prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: examplesDirectory.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }
            .sorted()
    }

    /// File name → (decoder field, reason code); a JSON `null` field means the message as a whole.
    static func expectations() throws -> [String: (field: String?, reason: String?)] {
        let data = try Data(contentsOf: examplesDirectory.appendingPathComponent("expectations.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let invalid = try #require(root["invalid"] as? [String: [String: Any]])
        return invalid.mapValues { entry in (entry["field"] as? String, entry["reason"] as? String) }
    }

    func decodeError(_ name: String) throws -> DecodeError? {
        let bytes = Array(try Data(contentsOf: Self.examplesDirectory.appendingPathComponent(name)))
        do {
            if name.hasPrefix("transaction-") {
                _ = try TransactionDecoder().decode(bytes)
            } else {
                _ = try LabelDecoder().decode(bytes, defaultReportedAt: Self.messageTimestamp)
            }
            return nil
        } catch {
            return error
        }
    }

    @Test func validExamplesDecode() throws {
        let names = try Self.exampleNames(prefix: "transaction-valid-") + Self.exampleNames(prefix: "label-valid-")
        #expect(names.count >= 6)
        for name in names {
            let error = try decodeError(name)
            #expect(error == nil, "\(name): \(error.map(String.init(describing:)) ?? "")")
        }
    }

    @Test func invalidExamplesFailWithTheExpectedFieldAndReason() throws {
        let expectations = try Self.expectations()
        let names = try Self.exampleNames(prefix: "transaction-invalid-") + Self.exampleNames(prefix: "label-invalid-")
        #expect(names.count >= 10)
        for name in names {
            let expected = try #require(expectations[name], "\(name) has no entry in expectations.json")
            let error = try #require(try decodeError(name), "\(name) decoded but should be rejected")
            #expect(error.reasonCode == expected.reason, "\(name): \(error)")
            #expect(error.field == expected.field, "\(name): \(error)")
        }
    }

    @Test func fullExampleDecodesToTheDocumentedValues() throws {
        let bytes = Array(try Data(contentsOf: Self.examplesDirectory.appendingPathComponent("transaction-valid-full.json")))
        let t = try TransactionDecoder().decode(bytes)
        #expect(t.amount == Money("57.23"))
        #expect(t.timestamp == 1_775_044_800_123)
        #expect(TransactionEncoder().encode(t) != [])
        let tricky = Array(try Data(contentsOf: Self.examplesDirectory.appendingPathComponent("transaction-valid-offset-nulls-unknown-fields.json")))
        let u = try TransactionDecoder().decode(tricky)
        #expect(u.transactionID == "tx-été-\"quoted\"-😀")
        #expect(u.timestamp == 1_775_044_800_500)
        #expect(u.amount == Money("12.5"))
        #expect(u.mcc == 5812)
        #expect(u.terminalID == nil && u.country == nil)
    }

    private func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.schemasDirectory.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func schemaCurrencyListIsCurrencyCodeKnown() throws {
        let properties = try #require(try schema("transaction.schema.json")["properties"] as? [String: Any])
        let currency = try #require(properties["currency"] as? [String: Any])
        let codes = try #require(currency["enum"] as? [String])
        let packed = Set(codes.compactMap { CurrencyCode($0)?.packed })
        #expect(packed.count == codes.count, "every schema code is known to CurrencyCode")
        #expect(packed == CurrencyCode.known)
    }

    @Test func schemaBoundsAreTheDefaultDecoderLimits() throws {
        let properties = try #require(try schema("transaction.schema.json")["properties"] as? [String: Any])
        let amount = try #require(properties["amount"] as? [String: Any])
        #expect((amount["maximum"] as? NSNumber)?.int64Value == DecoderLimits.default.maxAmount.units / Money.scale)
        let timestamp = try #require(properties["timestamp"] as? [String: Any])
        let forms = try #require(timestamp["oneOf"] as? [[String: Any]])
        let epoch = try #require(forms.first { $0["type"] as? String == "integer" })
        #expect((epoch["minimum"] as? NSNumber)?.int64Value == DecoderLimits.default.timestampRange.lowerBound)
        #expect((epoch["maximum"] as? NSNumber)?.int64Value == DecoderLimits.default.timestampRange.upperBound)
        let transactionID = try #require(properties["transaction_id"] as? [String: Any])
        #expect((transactionID["maxLength"] as? NSNumber)?.intValue == DecoderLimits.default.maxIdentifierLength)
        let channel = try #require(properties["channel"] as? [String: Any])
        #expect((channel["maxLength"] as? NSNumber)?.intValue == DecoderLimits.default.maxChannelLength)
    }
}
