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
            current = JSONPointer.parent(of: current)
        }
        return rootLine
    }

    /// The field name of `pointer`; for an unrecorded (missing) member, its parent's name
    /// followed by the member name.
    func field(for pointer: String) -> String {
        if pointer.isEmpty { return "(file)" }
        if let field = fields[pointer] { return field }
        let parent = JSONPointer.parent(of: pointer)
        let last = JSONPointer.lastToken(of: pointer)
        if parent.isEmpty { return last }
        let parentField = field(for: parent)
        if let index = Int(last), index >= 0, last.allSatisfy(\.isASCII) { return "\(parentField)[\(index)]" }
        return "\(parentField).\(last)"
    }
}
