/// Walks an instance against compiled schema nodes, collecting every violation.
struct SchemaValidator {
    /// Guards against `$ref` cycles that never consume the instance (`{"$ref": "#"}`).
    static let maxDepth = 256

    let root: SchemaNode
    let definitions: [String: SchemaNode]

    func validate(_ node: SchemaNode, _ value: JSONValue, path: String, depth: Int, into violations: inout [SchemaViolation]) {
        guard depth < SchemaValidator.maxDepth else {
            violations.append(SchemaViolation(instancePath: path, keyword: "$ref", message: "schema recursion deeper than \(SchemaValidator.maxDepth) levels"))
            return
        }
        switch node {
        case .boolean(true):
            return
        case .boolean(false):
            violations.append(SchemaViolation(instancePath: path, keyword: "false", message: "is not allowed"))
        case .checks(let checks):
            for check in checks { apply(check, value, path: path, depth: depth, into: &violations) }
        }
    }

    private func violations(_ node: SchemaNode, _ value: JSONValue, path: String, depth: Int) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        validate(node, value, path: path, depth: depth + 1, into: &found)
        return found
    }

    /// A short account of why each alternative failed, for anyOf/oneOf messages.
    private func summary(_ failures: [[SchemaViolation]], path: String) -> String {
        failures.enumerated().map { index, found in
            guard let first = found.first else { return "(\(index + 1)) matched" }
            let text = first.instancePath == path ? first.message : first.description
            return "(\(index + 1)) \(text)"
        }.joined(separator: "; ")
    }

    private func apply(_ check: SchemaCheck, _ value: JSONValue, path: String, depth: Int, into out: inout [SchemaViolation]) {
        func fail(_ keyword: String, _ message: String, at pointer: String? = nil) {
            out.append(SchemaViolation(instancePath: pointer ?? path, keyword: keyword, message: message))
        }
        switch check {
        case .type(let types):
            guard !types.contains(where: { $0.matches(value) }) else { return }
            let expected = types.map(\.rawValue).joined(separator: " or ")
            var found = value.typeName
            if case .number(let number) = value { found = "number \(number)" }
            fail("type", "must be \(expected), found \(found)")
        case .enumeration(let allowed):
            guard !allowed.contains(value) else { return }
            if allowed.count <= 8 {
                fail("enum", "must be one of \(allowed.map(\.jsonText).joined(separator: ", ")), found \(value.jsonText)")
            } else {
                fail("enum", "must be one of the \(allowed.count) allowed values, found \(value.jsonText)")
            }
        case .constant(let expected):
            if value != expected { fail("const", "must be \(expected.jsonText)") }
        case .minimum(let bound):
            if case .number(let number) = value, number < bound { fail("minimum", "must be >= \(bound), found \(number)") }
        case .maximum(let bound):
            if case .number(let number) = value, number > bound { fail("maximum", "must be <= \(bound), found \(number)") }
        case .exclusiveMinimum(let bound):
            if case .number(let number) = value, number <= bound { fail("exclusiveMinimum", "must be > \(bound), found \(number)") }
        case .exclusiveMaximum(let bound):
            if case .number(let number) = value, number >= bound { fail("exclusiveMaximum", "must be < \(bound), found \(number)") }
        case .multipleOf(let divisor):
            if case .number(let number) = value, !number.isMultiple(of: divisor) {
                fail("multipleOf", "must be a multiple of \(divisor), found \(number)")
            }
        case .minLength(let minimum):
            if case .string(let text) = value, text.unicodeScalars.count < minimum {
                fail("minLength", minimum == 1 ? "must not be empty" : "must be at least \(minimum) characters long")
            }
        case .maxLength(let maximum):
            if case .string(let text) = value, text.unicodeScalars.count > maximum {
                fail("maxLength", "must be at most \(maximum) characters long, found \(text.unicodeScalars.count)")
            }
        case .pattern(let pattern):
            if case .string(let text) = value, !pattern.matches(text) {
                fail("pattern", "must match the pattern \(pattern.source), found \(value.jsonText)")
            }
        case .dateTime:
            if case .string(let text) = value, let problem = DateTimeFormat.problem(in: text) {
                fail("format", "must be an RFC 3339 date-time, found \(value.jsonText): \(problem)")
            }
        case .required(let names):
            guard case .object(let object) = value else { return }
            for name in names where object[name] == nil {
                fail("required", "is required", at: JSONPointer.appending(name, to: path))
            }
        case .properties(let properties):
            guard case .object(let object) = value else { return }
            for (name, schema) in properties {
                guard let member = object[name] else { continue }
                validate(schema, member, path: JSONPointer.appending(name, to: path), depth: depth + 1, into: &out)
            }
        case .patternProperties(let entries):
            guard case .object(let object) = value else { return }
            for (key, member) in object {
                for (pattern, schema) in entries where pattern.matches(key) {
                    validate(schema, member, path: JSONPointer.appending(key, to: path), depth: depth + 1, into: &out)
                }
            }
        case .additionalProperties(let schema, let known, let patterns):
            guard case .object(let object) = value else { return }
            for (key, member) in object where !known.contains(key) && !patterns.contains(where: { $0.matches(key) }) {
                let memberPath = JSONPointer.appending(key, to: path)
                if case .boolean(false) = schema {
                    fail("additionalProperties", "is not allowed (not a property of this object)", at: memberPath)
                } else {
                    validate(schema, member, path: memberPath, depth: depth + 1, into: &out)
                }
            }
        case .minProperties(let minimum):
            if case .object(let object) = value, object.count < minimum { fail("minProperties", "must have at least \(minimum) members") }
        case .maxProperties(let maximum):
            if case .object(let object) = value, object.count > maximum { fail("maxProperties", "must have at most \(maximum) members") }
        case .items(let schema):
            guard case .array(let items) = value else { return }
            for (index, item) in items.enumerated() {
                validate(schema, item, path: JSONPointer.appending(String(index), to: path), depth: depth + 1, into: &out)
            }
        case .minItems(let minimum):
            if case .array(let items) = value, items.count < minimum { fail("minItems", "must have at least \(minimum) items, found \(items.count)") }
        case .maxItems(let maximum):
            if case .array(let items) = value, items.count > maximum { fail("maxItems", "must have at most \(maximum) items, found \(items.count)") }
        case .uniqueItems:
            guard case .array(let items) = value else { return }
            var firstIndex: [JSONValue: Int] = [:]
            for (index, item) in items.enumerated() {
                if let earlier = firstIndex[item] {
                    fail("uniqueItems", "must not contain duplicates: items \(earlier) and \(index) are equal")
                    return
                }
                firstIndex[item] = index
            }
        case .allOf(let schemas):
            for schema in schemas { validate(schema, value, path: path, depth: depth + 1, into: &out) }
        case .anyOf(let schemas):
            var failures: [[SchemaViolation]] = []
            for schema in schemas {
                let found = violations(schema, value, path: path, depth: depth)
                if found.isEmpty { return }
                failures.append(found)
            }
            fail("anyOf", "must match at least one of \(schemas.count) alternatives: \(summary(failures, path: path))")
        case .oneOf(let schemas):
            let results = schemas.map { violations($0, value, path: path, depth: depth) }
            let matched = results.indices.filter { results[$0].isEmpty }
            if matched.count == 1 { return }
            if matched.isEmpty {
                fail("oneOf", "must match exactly one of \(schemas.count) alternatives, matched none: \(summary(results, path: path))")
            } else {
                fail("oneOf", "must match exactly one of \(schemas.count) alternatives, matched \(matched.count): \(matched.map { String($0 + 1) }.joined(separator: ", "))")
            }
        case .not(let schema):
            if violations(schema, value, path: path, depth: depth).isEmpty { fail("not", "must not match the schema under \"not\"") }
        case .reference(let name):
            let target = name == "#" ? root : definitions[name]
            if let target { validate(target, value, path: path, depth: depth + 1, into: &out) }
        }
    }
}
