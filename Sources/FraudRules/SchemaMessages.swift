import FraudSchema
import Foundation

/// Rewrites the validator's schema violations into messages for risk analysts: what the
/// field must be, what was found, and for an unknown field the fields allowed there.
enum SchemaMessages {
    /// - Parameter written: The text of a non-string scalar as written in the file, by pointer.
    static func issues(
        for violations: [SchemaViolation], document: JSONValue, schema: JSONValue, written: [String: String] = [:]
    ) -> [PendingIssue] {
        var issues: [PendingIssue] = []
        var rewritten: Set<String> = []  // pointers given one combined message
        for violation in violations {
            let pointer = violation.instancePath
            let found = JSONPointer.value(at: pointer, in: document)
            let tokens = JSONPointer.tokens(of: pointer)
            let last = tokens.last ?? ""
            let foundText = written[pointer] ?? found.map(describe) ?? "nothing"

            // One combined message for values with several constraints.
            var combined: String?
            if isThreshold(tokens), ["type", "minimum", "maximum", "pattern"].contains(violation.keyword) {
                combined = "must be a number in [0, 1] or \"off\", found \(foundText)"
            } else if ["score_at_least", "model_probability_at_least", "anomaly_at_least"].contains(last),
                      ["type", "minimum", "maximum"].contains(violation.keyword) {
                combined = "must be a number in [0, 1], found \(foundText)"
            } else if tokens.count >= 2, tokens[tokens.count - 2] == "mcc", Int(last) != nil,
                      ["type", "minimum", "maximum", "pattern"].contains(violation.keyword) {
                combined = "must be a merchant category code 0-9999 or a range such as \"5960-5969\", found \(foundText)"
            } else if tokens.count >= 2, tokens[tokens.count - 2] == "amount", ["min", "max"].contains(last) {
                switch violation.keyword {
                case "type": combined = "must be an amount (a decimal number such as 220.50), found \(foundText)"
                case "multipleOf": combined = "must have at most 4 decimal places, found \(foundText)"
                case "minimum": combined = "must not be negative, found \(foundText)"
                default: break
                }
            }
            if let combined {
                if rewritten.insert(pointer).inserted { issues.append(PendingIssue(pointer, combined)) }
                continue
            }

            var message = violation.message
            switch violation.keyword {
            case "type":
                message = typeMessage(violation.message, found: found, written: written[pointer])
            case "additionalProperties":
                let parent = JSONPointer.parent(of: pointer)
                if JSONPointer.tokens(of: parent) == ["lists"] {
                    message = "\"\(last)\" is not a valid list name: use lowercase snake_case (letters, digits, _), at most 64 characters"
                } else {
                    message = "unknown field \"\(last)\""
                    if let allowed = allowedKeys(under: parent, schema: schema), !allowed.isEmpty {
                        message += " (allowed here: \(allowed.joined(separator: ", ")))"
                    }
                }
            case "required":
                message = "is required"
            case "pattern":
                message = patternMessage(tokens) + ", found \(foundText)"
            case "minProperties":
                message = "must not be empty"
            case "minItems":
                message = "must not be an empty list (leave the condition out instead)"
            default:
                break
            }
            issues.append(PendingIssue(pointer, message))
        }
        return issues
    }

    /// `/thresholds/alert` or `/segments/N/thresholds/alert`.
    private static func isThreshold(_ tokens: [String]) -> Bool {
        guard tokens.count >= 2, tokens[tokens.count - 2] == "thresholds", RuleAction(rawValue: tokens[tokens.count - 1]) != nil
        else { return false }
        return tokens.count == 2 || (tokens.count == 4 && tokens[0] == "segments")
    }

    /// What a value is, for "found …": the value itself for scalars.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .array: "a list"
        case .object: "a mapping"
        case .null: "nothing (null)"
        default: value.jsonText
        }
    }

    private static let typeWords: [String: String] = [
        "string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
        "array": "a list", "object": "a mapping (field: value)", "null": "empty",
    ]

    /// `must be string, found number` → `must be text, found 3 (quote it to make it text)`.
    private static func typeMessage(_ message: String, found: JSONValue?, written: String?) -> String {
        var expected: [String] = []
        if message.hasPrefix("must be "), let comma = message.range(of: ", found") {
            expected = message[message.index(message.startIndex, offsetBy: 8)..<comma.lowerBound]
                .components(separatedBy: " or ")
        }
        let words = expected.map { typeWords[$0] ?? $0 }
        let foundText = written ?? found.map(describe) ?? "nothing"
        var text = "must be \(words.isEmpty ? "another type" : words.joined(separator: " or ")), found \(foundText)"
        if expected.contains("string") {
            switch found {
            case .number?, .bool?: text += " (quote it to make it text)"
            default: break
            }
        }
        return text
    }

    private static func patternMessage(_ tokens: [String]) -> String {
        let last = tokens.last ?? ""
        let parent = tokens.count >= 2 ? tokens[tokens.count - 2] : ""
        switch (parent, last) {
        case (_, "version") where tokens.count == 1:
            return "must be letters, digits and . _ : + - only (no spaces), starting with a letter or digit"
        case (_, "id"):
            return "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit (no spaces or ':')"
        case ("channel", _):
            return "must be a channel in lowercase snake_case (card_present, ecommerce, atm, ...)"
        case ("country", _):
            return "must be an ISO 3166-1 alpha-2 country code in uppercase (BE, FR, ...)"
        case ("currency", _):
            return "must be an ISO 4217 currency code in uppercase (EUR, USD, ...)"
        case ("reason_code", _):
            return "must be a reason code in lowercase snake_case (card_recent_fraud_report, ...)"
        case (_, "card_in"), (_, "card_not_in"), (_, "merchant_in"), (_, "merchant_not_in"):
            return "must be the name of a list under lists (lowercase snake_case)"
        default:
            return "has an invalid format"
        }
    }

    /// The property names the schema allows in the object at `pointer`, if it can tell.
    static func allowedKeys(under pointer: String, schema: JSONValue) -> [String]? {
        func resolve(_ node: JSONValue) -> JSONValue {
            var node = node
            var hops = 0
            while case .string(let reference)? = node["$ref"], reference.hasPrefix("#/$defs/"), hops < 16 {
                node = schema["$defs"]?[String(reference.dropFirst(8))] ?? .bool(true)
                hops += 1
            }
            return node
        }
        var node = resolve(schema)
        for token in JSONPointer.tokens(of: pointer) {
            if let next = node["properties"]?[token] {
                node = resolve(next)
            } else if case .object(let patterns)? = node["patternProperties"], let first = patterns.first(where: { _ in true }) {
                node = resolve(first.value)
            } else if let items = node["items"], Int(token) != nil {
                node = resolve(items)
            } else {
                return nil
            }
        }
        guard case .object(let properties)? = node["properties"] else { return nil }
        return properties.keys
    }
}
