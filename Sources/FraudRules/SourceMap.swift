import Foundation
import FraudSchema

/// Where each value of a parsed rules file is written: JSON pointer → line and field name.
struct SourceMap: Sendable {
    /// Line of each pointer: a member's key line, an item's first line.
    var lines: [String: Int] = [:]
    /// Human field name of each pointer, e.g. `segments[1].thresholds.alert`.
    var fields: [String: String] = [:]
    /// Text of each number, boolean and null scalar as written (`1.0`, `True`, `~`), for
    /// messages: the JSON value alone would say `1`.
    var scalarTexts: [String: String] = [:]
    /// Line of the document's root (its first key).
    var rootLine = 1

    mutating func record(_ pointer: String, line: Int, field: String) {
        lines[pointer] = line
        fields[pointer] = field
    }

    /// The line of `pointer`, or of its nearest recorded ancestor.
    func line(for pointer: String) -> Int {
        var current = pointer
        while !current.isEmpty {
            if let line = lines[current] { return line }
            current = Pointer.parent(of: current)
        }
        return rootLine
    }

    /// The field name of `pointer`; for an unrecorded (missing) member, its parent's name
    /// followed by the member name.
    func field(for pointer: String) -> String {
        if pointer.isEmpty { return "(file)" }
        if let field = fields[pointer] { return field }
        let parent = Pointer.parent(of: pointer)
        let last = Pointer.lastToken(of: pointer)
        if parent.isEmpty { return last }
        let parentField = field(for: parent)
        if let index = Int(last), index >= 0, last.allSatisfy(\.isASCII) { return "\(parentField)[\(index)]" }
        return "\(parentField).\(last)"
    }
}

/// RFC 6901 JSON pointers, as FraudSchema reports them.
enum Pointer {
    /// `pointer` with one more reference token, escaped.
    static func appending(_ token: String, to pointer: String) -> String {
        var out = pointer + "/"
        for character in token {
            switch character {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(character)
            }
        }
        return out
    }

    /// `pointer` with the list index appended.
    static func appending(_ index: Int, to pointer: String) -> String { pointer + "/" + String(index) }

    /// The parent pointer (`""` for a top-level member or the root).
    static func parent(of pointer: String) -> String {
        guard let slash = pointer.lastIndex(of: "/") else { return "" }
        return String(pointer[..<slash])
    }

    /// The last reference token, unescaped.
    static func lastToken(of pointer: String) -> String {
        guard let slash = pointer.lastIndex(of: "/") else { return pointer }
        return unescape(pointer[pointer.index(after: slash)...])
    }

    /// The reference tokens, unescaped.
    static func tokens(of pointer: String) -> [String] {
        guard !pointer.isEmpty else { return [] }
        return pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(unescape)
    }

    static func unescape(_ token: Substring) -> String {
        token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// True when `pointer` is `ancestor` or lies under it.
    static func isSelfOrDescendant(_ pointer: String, of ancestor: String) -> Bool {
        pointer == ancestor || ancestor.isEmpty || pointer.hasPrefix(ancestor + "/")
    }

    /// The value at `pointer` in `document`, if present.
    static func value(at pointer: String, in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens(of: pointer) {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
