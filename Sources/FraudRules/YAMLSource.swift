import FraudSchema
import Foundation
import Yams

/// A problem found while reading a rules file, located by JSON pointer (and a line when the
/// pointer alone cannot say, e.g. a duplicate key).
struct PendingIssue: Sendable {
    var pointer: String
    var message: String
    var line: Int?

    init(_ pointer: String, _ message: String, line: Int? = nil) {
        self.pointer = pointer
        self.message = message
        self.line = line
    }
}

/// A rules file's YAML turned into the JSON value the schema validates, with the source map.
///
/// Scalars are typed by the YAML 1.2 core schema, not YAML 1.1's: only `true`/`false` (any
/// case style) are booleans, so `NO` (Norway), `on` or `yes` stay text; `~`, `null` and an
/// empty value are null; plain decimal integers and decimals (with an optional exponent) are
/// numbers, read exactly; everything else, and every quoted scalar, is a string. Numbers
/// keep their decimal text (`0.1` is exactly 0.1). Duplicate keys are errors; anchors and
/// aliases work; explicit tags other than `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`,
/// `!!seq` and `!!map` are refused.
struct YAMLSource {
    private(set) var map = SourceMap()
    private(set) var issues: [PendingIssue] = []

    /// Parses `text`; throws a located syntax error (line, message) if it is not YAML.
    static func parse(_ text: String) throws(YAMLSyntaxError) -> (value: JSONValue, map: SourceMap, issues: [PendingIssue]) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, YAMLSource.resolver())
        } catch let error as YamlError {
            throw YAMLSyntaxError(error, text: text)
        } catch {
            throw YAMLSyntaxError(line: 1, message: "cannot parse YAML: \(error)")
        }
        guard let root else {
            throw YAMLSyntaxError(line: 1, message: "the file is empty: a rules file needs at least a version", isEmpty: true)
        }
        var source = YAMLSource()
        source.map.rootLine = root.mark?.line ?? 1
        let value = source.convert(root, pointer: "", field: "", line: source.map.rootLine)
        return (value, source.map, source.issues)
    }

    /// YAML 1.2 core-schema tag resolution for plain scalars (see the type's documentation).
    static func resolver() -> Resolver {
        // The patterns are constants known to compile (every load exercises them).
        Resolver.basic
            .appending(try! Resolver.Rule(.null, "^(?:~|null|Null|NULL|)$"))
            .appending(try! Resolver.Rule(.bool, "^(?:true|True|TRUE|false|False|FALSE)$"))
            .appending(try! Resolver.Rule(.int, "^[-+]?[0-9]+$"))
            .appending(try! Resolver.Rule(.float, "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"))
    }

    private mutating func convert(_ node: Node, pointer: String, field: String, line: Int) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return convertScalar(scalar, tag: node.tag.description, pointer: pointer, line: line)
        case .sequence(let sequence):
            let tag = node.tag.description
            if tag != Tag.Name.seq.rawValue && tag != "!" && !tag.isEmpty {
                issues.append(PendingIssue(pointer, "unsupported YAML tag \(tag)", line: line))
            }
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                let itemPointer = JSONPointer.appending(index, to: pointer)
                let itemField = "\(field.isEmpty ? "(file)" : field)[\(index)]"
                let itemLine = item.mark?.line ?? line
                map.record(itemPointer, line: itemLine, field: itemField)
                items.append(convert(item, pointer: itemPointer, field: itemField, line: itemLine))
            }
            return .array(items)
        case .mapping(let mapping):
            let tag = node.tag.description
            if tag != Tag.Name.map.rawValue && tag != "!" && !tag.isEmpty {
                issues.append(PendingIssue(pointer, "unsupported YAML tag \(tag)", line: line))
            }
            var object = JSONObject()
            var keyLines: [String: Int] = [:]
            for (keyNode, valueNode) in mapping {
                let keyLine = keyNode.mark?.line ?? line
                guard case .scalar(let keyScalar) = keyNode else {
                    issues.append(PendingIssue(pointer, "a key must be plain text, not a list or a mapping", line: keyLine))
                    continue
                }
                let key = keyScalar.string
                if let first = keyLines[key] {
                    issues.append(PendingIssue(
                        JSONPointer.appending(key, to: pointer), "duplicate key (first at line \(first))", line: keyLine))
                    continue
                }
                keyLines[key] = keyLine
                let memberPointer = JSONPointer.appending(key, to: pointer)
                let memberField = field.isEmpty ? key : "\(field).\(key)"
                map.record(memberPointer, line: keyLine, field: memberField)
                object[key] = convert(valueNode, pointer: memberPointer, field: memberField, line: keyLine)
            }
            return .object(object)
        }
    }

    private mutating func convertScalar(_ scalar: Node.Scalar, tag: String, pointer: String, line: Int) -> JSONValue {
        let text = scalar.string
        if tag != Tag.Name.str.rawValue && tag != "!" && !tag.isEmpty { map.scalarTexts[pointer] = text }
        switch tag {
        case Tag.Name.str.rawValue, "!", "":
            return .string(text)
        case Tag.Name.null.rawValue:
            return .null
        case Tag.Name.bool.rawValue:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default:
                issues.append(PendingIssue(pointer, "\(text) is not a boolean (write true or false)", line: line))
                return .string(text)
            }
        case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
            if let number = YAMLSource.number(fromYAML: text) { return .number(number) }
            issues.append(PendingIssue(pointer, "\(text) is not a finite decimal number", line: line))
            return .string(text)
        default:
            issues.append(PendingIssue(pointer, "unsupported YAML tag \(tag)", line: line))
            return .string(text)
        }
    }

    /// The exact value of a YAML decimal (`+1`, `007`, `.5`, `5.`, `1e3`); nil otherwise.
    static func number(fromYAML text: String) -> JSONNumber? {
        var rest = Substring(text)
        var sign = ""
        if let first = rest.first, first == "+" || first == "-" {
            if first == "-" { sign = "-" }
            rest = rest.dropFirst()
        }
        var exponent = ""
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = "e" + rest[rest.index(after: e)...]
            rest = rest[..<e]
        }
        var integer = rest
        var fraction: Substring = ""
        if let dot = rest.firstIndex(of: ".") {
            integer = rest[..<dot]
            fraction = rest[rest.index(after: dot)...]
        }
        guard !(integer.isEmpty && fraction.isEmpty) else { return nil }
        var integerDigits = integer.drop { $0 == "0" }
        if integerDigits.isEmpty { integerDigits = "0" }
        let normalised = sign + integerDigits + (fraction.isEmpty ? "" : "." + fraction) + exponent
        return JSONNumber(normalised)
    }
}

/// A YAML syntax error with its line.
struct YAMLSyntaxError: Error {
    var line: Int
    var message: String
    /// The text holds no YAML document at all (only comments or blanks).
    var isEmpty = false

    init(line: Int, message: String, isEmpty: Bool = false) {
        self.line = line
        self.message = message
        self.isEmpty = isEmpty
    }

    init(_ error: YamlError, text: String) {
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> (Int, String) {
            var message = "\(problem) (column \(mark.column))"
            if let context { message += ", \(context.text) at line \(context.mark.line)" }
            return (mark.line, message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            (line, message) = located(context, problem, mark)
        case .reader(let problem, let offset, _, _):
            var line = 1
            if let offset {
                line += text.prefix(offset).reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            }
            (self.line, message) = (line, "cannot read the text: \(problem)")
        default:
            (line, message) = (1, "\(error)")
        }
    }
}
