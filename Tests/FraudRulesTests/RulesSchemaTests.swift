import FraudSchema
import Foundation
import Testing
@testable import FraudRules

@Suite struct RulesSchemaTests {
    @Test func embeddedSchemaEqualsTheFileByteForByte() throws {
        let url = TestSupport.repositoryRoot.appendingPathComponent("schemas/rules.schema.json")
        let file = try Data(contentsOf: url)
        #expect(Array(RulesSchema.text.utf8) == Array(file),
                "Sources/FraudRules/RulesSchema.swift must embed schemas/rules.schema.json unchanged: paste the file between its delimiters")
    }

    @Test func schemaCompilesWithIdAndTitle() throws {
        let schema = try RulesSchema.compiled.get()
        #expect(schema.id == "https://fraudstream.example/schemas/rules.schema.json")
        #expect(schema.title == "Rules file")
    }

    /// Every property and definition says what it is for (the schema is documentation too).
    @Test func everyPropertyIsDescribed() throws {
        let schema = try RulesSchema.compiled.get()
        var undescribed: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            guard case .object(let object) = value else { return }
            for container in ["properties", "$defs", "patternProperties"] {
                guard case .object(let members)? = object[container] else { continue }
                for (name, member) in members {
                    if member["description"] == nil { undescribed.append("\(path)/\(container)/\(name)") }
                    walk(member, "\(path)/\(container)/\(name)")
                }
            }
            if let items = object["items"] { walk(items, path + "/items") }
        }
        walk(schema.document, "")
        #expect(undescribed == [])
    }
}
