import Foundation

/// Turns a schema document into ``SchemaNode``s, refusing anything it does not implement.
struct SchemaCompiler {
    static let draft202012 = "https://json-schema.org/draft/2020-12/schema"

    /// Keywords that only annotate and never affect validation.
    static let annotations: Set<String> = [
        "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
    ]

    /// Every keyword implemented, for error messages.
    static let implemented: [String] = [
        "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "format", "required", "properties", "patternProperties",
        "additionalProperties", "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems",
        "allOf", "anyOf", "oneOf", "not", "$ref", "$defs", "$schema", "$id",
    ]

    private var referencedDefinitions: [(name: String, path: String)] = []

    /// Compiles a whole document: its root node and its `$defs`.
    static func compile(_ document: JSONValue) throws(SchemaError) -> (root: SchemaNode, definitions: [String: SchemaNode]) {
        var compiler = SchemaCompiler()
        var definitions: [String: SchemaNode] = [:]
        if case .object(let object) = document, let defs = object["$defs"] {
            guard case .object(let members) = defs else {
                throw SchemaError(kind: .invalidKeywordValue, schemaPath: "/$defs", message: "$defs must be an object of schemas")
            }
            for (name, schema) in members {
                definitions[name] = try compiler.node(schema, path: JSONPointer.appending(name, to: "/$defs"), isRoot: false)
            }
        }
        let root = try compiler.node(document, path: "", isRoot: true)
        for reference in compiler.referencedDefinitions where definitions[reference.name] == nil {
            throw SchemaError(kind: .unresolvedReference, schemaPath: reference.path, message: "no definition named \"\(reference.name)\" in $defs")
        }
        return (root, definitions)
    }

    private func invalid(_ path: String, _ keyword: String, _ message: String) -> SchemaError {
        SchemaError(kind: .invalidKeywordValue, schemaPath: JSONPointer.appending(keyword, to: path), message: "\(keyword) \(message)")
    }

    private func number(_ value: JSONValue, _ path: String, _ keyword: String) throws(SchemaError) -> JSONNumber {
        guard case .number(let number) = value else { throw invalid(path, keyword, "must be a number") }
        return number
    }

    private func count(_ value: JSONValue, _ path: String, _ keyword: String) throws(SchemaError) -> Int {
        guard case .number(let number) = value, number.isInteger, !number.isNegative, number.digits.count + number.exponent <= 18,
              let result = Int(number.description)
        else { throw invalid(path, keyword, "must be a non-negative integer") }
        return result
    }

    private func pattern(_ value: JSONValue, _ path: String, _ keyword: String) throws(SchemaError) -> SchemaPattern {
        guard case .string(let source) = value else { throw invalid(path, keyword, "must be a string") }
        return try compilePattern(source, JSONPointer.appending(keyword, to: path))
    }

    private func compilePattern(_ source: String, _ path: String) throws(SchemaError) -> SchemaPattern {
        do {
            return SchemaPattern(source: source, regex: try NSRegularExpression(pattern: source))
        } catch {
            throw SchemaError(kind: .invalidKeywordValue, schemaPath: path, message: "invalid regular expression \(JSONValue.quoted(source))")
        }
    }

    private mutating func schemaList(_ value: JSONValue, _ path: String, _ keyword: String) throws(SchemaError) -> [SchemaNode] {
        guard case .array(let items) = value, !items.isEmpty else { throw invalid(path, keyword, "must be a non-empty array of schemas") }
        var nodes: [SchemaNode] = []
        for (index, item) in items.enumerated() {
            nodes.append(try node(item, path: JSONPointer.appending(String(index), to: JSONPointer.appending(keyword, to: path)), isRoot: false))
        }
        return nodes
    }

    /// Compiles one schema (an object or a boolean) found at `path`.
    mutating func node(_ value: JSONValue, path: String, isRoot: Bool) throws(SchemaError) -> SchemaNode {
        if case .bool(let accepts) = value { return .boolean(accepts) }
        guard case .object(let object) = value else {
            throw SchemaError(kind: .invalidKeywordValue, schemaPath: path, message: "a schema must be an object or a boolean")
        }
        for key in object.keys where !SchemaCompiler.annotations.contains(key) && !SchemaCompiler.implemented.contains(key) {
            throw SchemaError(
                kind: .unsupportedKeyword, schemaPath: JSONPointer.appending(key, to: path),
                message: "unsupported keyword \"\(key)\": this validator implements only \(SchemaCompiler.implemented.joined(separator: ", "))"
            )
        }
        if let schema = object["$schema"] {
            guard isRoot else { throw invalid(path, "$schema", "is only allowed at the root") }
            guard schema == .string(SchemaCompiler.draft202012) else {
                throw invalid(path, "$schema", "must be \(SchemaCompiler.draft202012) (the only draft implemented)")
            }
        }
        if let id = object["$id"] {
            guard isRoot else { throw invalid(path, "$id", "is only allowed at the root (no embedded schema resources)") }
            guard case .string = id else { throw invalid(path, "$id", "must be a string") }
        }
        if object["$defs"] != nil && !isRoot {
            throw invalid(path, "$defs", "is only allowed at the root")
        }

        var checks: [SchemaCheck] = []
        if let type = object["type"] {
            var names: [String] = []
            switch type {
            case .string(let name): names = [name]
            case .array(let items):
                for item in items {
                    guard case .string(let name) = item else { throw invalid(path, "type", "must be a type name or an array of them") }
                    names.append(name)
                }
            default: throw invalid(path, "type", "must be a type name or an array of them")
            }
            guard !names.isEmpty, Set(names).count == names.count else { throw invalid(path, "type", "must list distinct type names") }
            var types: [SchemaType] = []
            for name in names {
                guard let type = SchemaType(rawValue: name) else { throw invalid(path, "type", "has unknown type \"\(name)\"") }
                types.append(type)
            }
            checks.append(.type(types))
        }
        if let values = object["enum"] {
            guard case .array(let items) = values, !items.isEmpty else { throw invalid(path, "enum", "must be a non-empty array") }
            checks.append(.enumeration(items))
        }
        if let value = object["const"] { checks.append(.constant(value)) }
        if let value = object["minimum"] { checks.append(.minimum(try number(value, path, "minimum"))) }
        if let value = object["maximum"] { checks.append(.maximum(try number(value, path, "maximum"))) }
        if let value = object["exclusiveMinimum"] { checks.append(.exclusiveMinimum(try number(value, path, "exclusiveMinimum"))) }
        if let value = object["exclusiveMaximum"] { checks.append(.exclusiveMaximum(try number(value, path, "exclusiveMaximum"))) }
        if let value = object["multipleOf"] {
            let divisor = try number(value, path, "multipleOf")
            guard !divisor.isNegative && !divisor.isZero else { throw invalid(path, "multipleOf", "must be > 0") }
            checks.append(.multipleOf(divisor))
        }
        if let value = object["minLength"] { checks.append(.minLength(try count(value, path, "minLength"))) }
        if let value = object["maxLength"] { checks.append(.maxLength(try count(value, path, "maxLength"))) }
        if let value = object["pattern"] { checks.append(.pattern(try pattern(value, path, "pattern"))) }
        if let value = object["format"] {
            guard case .string(let format) = value else { throw invalid(path, "format", "must be a string") }
            guard format == "date-time" else {
                throw SchemaError(kind: .unsupportedFormat, schemaPath: JSONPointer.appending("format", to: path),
                                  message: "unsupported format \"\(format)\": only date-time is implemented")
            }
            checks.append(.dateTime)
        }
        if let value = object["required"] {
            guard case .array(let items) = value else { throw invalid(path, "required", "must be an array of strings") }
            var names: [String] = []
            for item in items {
                guard case .string(let name) = item else { throw invalid(path, "required", "must be an array of strings") }
                names.append(name)
            }
            guard Set(names).count == names.count else { throw invalid(path, "required", "must not repeat a name") }
            checks.append(.required(names))
        }
        var known: Set<String> = []
        var patterns: [SchemaPattern] = []
        if let value = object["properties"] {
            guard case .object(let members) = value else { throw invalid(path, "properties", "must be an object of schemas") }
            var properties: [(String, SchemaNode)] = []
            for (name, schema) in members {
                let childPath = JSONPointer.appending(name, to: JSONPointer.appending("properties", to: path))
                properties.append((name, try node(schema, path: childPath, isRoot: false)))
                known.insert(name)
            }
            checks.append(.properties(properties))
        }
        if let value = object["patternProperties"] {
            guard case .object(let members) = value else { throw invalid(path, "patternProperties", "must be an object of schemas") }
            var entries: [(SchemaPattern, SchemaNode)] = []
            for (source, schema) in members {
                let childPath = JSONPointer.appending(source, to: JSONPointer.appending("patternProperties", to: path))
                let compiled = try compilePattern(source, childPath)
                entries.append((compiled, try node(schema, path: childPath, isRoot: false)))
                patterns.append(compiled)
            }
            checks.append(.patternProperties(entries))
        }
        if let value = object["additionalProperties"] {
            let schema = try node(value, path: JSONPointer.appending("additionalProperties", to: path), isRoot: false)
            checks.append(.additionalProperties(schema, known: known, patterns: patterns))
        }
        if let value = object["minProperties"] { checks.append(.minProperties(try count(value, path, "minProperties"))) }
        if let value = object["maxProperties"] { checks.append(.maxProperties(try count(value, path, "maxProperties"))) }
        if let value = object["items"] {
            if case .array = value { throw invalid(path, "items", "must be a single schema (the array form is draft 7's, use one schema)") }
            checks.append(.items(try node(value, path: JSONPointer.appending("items", to: path), isRoot: false)))
        }
        if let value = object["minItems"] { checks.append(.minItems(try count(value, path, "minItems"))) }
        if let value = object["maxItems"] { checks.append(.maxItems(try count(value, path, "maxItems"))) }
        if let value = object["uniqueItems"] {
            guard case .bool(let unique) = value else { throw invalid(path, "uniqueItems", "must be a boolean") }
            if unique { checks.append(.uniqueItems) }
        }
        if let value = object["allOf"] { checks.append(.allOf(try schemaList(value, path, "allOf"))) }
        if let value = object["anyOf"] { checks.append(.anyOf(try schemaList(value, path, "anyOf"))) }
        if let value = object["oneOf"] { checks.append(.oneOf(try schemaList(value, path, "oneOf"))) }
        if let value = object["not"] { checks.append(.not(try node(value, path: JSONPointer.appending("not", to: path), isRoot: false))) }
        if let value = object["$ref"] {
            guard case .string(let reference) = value else { throw invalid(path, "$ref", "must be a string") }
            let refPath = JSONPointer.appending("$ref", to: path)
            if reference == "#" {
                checks.append(.reference("#"))
            } else if reference.hasPrefix("#/$defs/"), !reference.dropFirst(8).contains("/") {
                let name = JSONPointer.unescape(reference.dropFirst(8))
                referencedDefinitions.append((name, refPath))
                checks.append(.reference(name))
            } else {
                throw SchemaError(kind: .unresolvedReference, schemaPath: refPath,
                                  message: "unsupported reference \(JSONValue.quoted(reference)): only \"#\" and \"#/$defs/<name>\" are implemented")
            }
        }
        return .checks(checks)
    }
}
