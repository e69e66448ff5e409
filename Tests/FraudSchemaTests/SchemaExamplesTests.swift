import Foundation
import Testing
@testable import FraudSchema

/// Every file in `schemas/examples` is judged by its schema as its name says: `*-valid-*`
/// files have no violation; `*-invalid-*` files have one at the pointer that
/// `expectations.json` lists (the FraudEngine decoder tests check the same files).
@Suite struct SchemaExamplesTests {
    static let schemasDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FraudSchemaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("schemas")
    static let examplesDirectory = schemasDirectory.appendingPathComponent("examples")
    static let schemaNames = ["transaction", "label", "alert", "decision"]

    static func load(_ name: String) throws -> JSONSchema {
        try JSONSchema(contentsOf: schemasDirectory.appendingPathComponent("\(name).schema.json"))
    }

    static func example(_ file: String) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: examplesDirectory.appendingPathComponent(file))))
    }

    static func exampleFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: examplesDirectory.path)
            .filter { $0.contains("valid") && $0.hasSuffix(".json") }
            .sorted()
    }

    static func expectedPaths() throws -> [String: String] {
        guard case .object(let invalid)? = try example("expectations.json")["invalid"] else {
            Issue.record("expectations.json has no \"invalid\" object")
            return [:]
        }
        var paths: [String: String] = [:]
        for (file, entry) in invalid {
            if case .string(let path)? = entry["path"] { paths[file] = path }
        }
        return paths
    }

    /// The schema an example belongs to, from its name: `transaction-valid-full.json` → transaction.
    static func schemaName(of file: String) -> String? {
        schemaNames.first { file.hasPrefix("\($0)-") }
    }

    @Test(arguments: schemaNames)
    func schemaLoadsWithIdAndTitle(name: String) throws {
        let schema = try Self.load(name)
        #expect(schema.id == "https://fraudstream.example/schemas/\(name).schema.json")
        #expect(schema.title?.isEmpty == false)
    }

    @Test(arguments: schemaNames)
    func everyPropertyIsDescribed(name: String) throws {
        let schema = try Self.load(name)
        var undescribed: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            guard case .object(let object) = value else { return }
            if case .object(let properties)? = object["properties"] {
                for (key, property) in properties {
                    if case .string(let text)? = property["description"], !text.isEmpty {} else { undescribed.append(path + "/" + key) }
                    walk(property, path + "/" + key)
                }
            }
            if case .object(let definitions)? = object["$defs"] {
                for (key, definition) in definitions { walk(definition, path + "/$defs/" + key) }
            }
            if let items = object["items"] { walk(items, path + "/items") }
        }
        walk(schema.document, "")
        #expect(undescribed.isEmpty, "properties without a description: \(undescribed)")
    }

    @Test func validExamplesValidate() throws {
        let files = try Self.exampleFiles().filter { $0.contains("-valid-") }
        #expect(files.count >= 9)
        for file in files {
            let name = try #require(Self.schemaName(of: file), "\(file) names no schema")
            let violations = try Self.load(name).validate(try Self.example(file))
            #expect(violations.isEmpty, "\(file): \(violations)")
        }
    }

    @Test func invalidExamplesFailAtTheExpectedPath() throws {
        let expected = try Self.expectedPaths()
        let files = try Self.exampleFiles().filter { $0.contains("-invalid-") }
        #expect(files.count >= 15)
        #expect(Set(files) == Set(expected.keys), "every invalid example has an expectation and vice versa")
        for file in files {
            let name = try #require(Self.schemaName(of: file), "\(file) names no schema")
            let path = try #require(expected[file])
            let violations = try Self.load(name).validate(try Self.example(file))
            #expect(!violations.isEmpty, "\(file) should be invalid")
            #expect(violations.map(\.instancePath) == [path], "\(file): \(violations)")
        }
    }

    @Test func violationsSayWhatIsWrong() throws {
        let transaction = try Self.load("transaction")
        let negative = transaction.validate(try Self.example("transaction-invalid-negative-amount.json"))
        #expect(negative.map(\.description) == ["/amount: must be > 0, found -5"])
        let missing = transaction.validate(try Self.example("transaction-invalid-missing-card-id.json"))
        #expect(missing == [SchemaViolation(instancePath: "/card_id", keyword: "required", message: "is required")])
        let decimals = transaction.validate(try Self.example("transaction-invalid-amount-too-many-decimals.json"))
        #expect(decimals.map(\.keyword) == ["multipleOf"])
        let currency = transaction.validate(try Self.example("transaction-invalid-unknown-currency.json"))
        #expect(currency.map(\.description) == [#"/currency: must be one of the 180 allowed values, found "USX""#])
    }
}
