/// RFC 6901 JSON pointers (`/segments/1/thresholds`): building, splitting, resolving.
/// Violations report where they are with these.
public enum JSONPointer {
    /// `pointer` with one more reference token, escaped.
    public static func appending(_ token: String, to pointer: String) -> String {
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
    public static func appending(_ index: Int, to pointer: String) -> String { pointer + "/" + String(index) }

    /// The parent pointer (`""` for a top-level member or the root).
    public static func parent(of pointer: String) -> String {
        guard let slash = pointer.lastIndex(of: "/") else { return "" }
        return String(pointer[..<slash])
    }

    /// The last reference token, unescaped.
    public static func lastToken(of pointer: String) -> String {
        guard let slash = pointer.lastIndex(of: "/") else { return pointer }
        return unescape(pointer[pointer.index(after: slash)...])
    }

    /// The reference tokens, unescaped.
    public static func tokens(of pointer: String) -> [String] {
        guard !pointer.isEmpty else { return [] }
        return pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(unescape)
    }


    /// True when `pointer` is `ancestor` or lies under it.
    public static func isSelfOrDescendant(_ pointer: String, of ancestor: String) -> Bool {
        pointer == ancestor || ancestor.isEmpty || pointer.hasPrefix(ancestor + "/")
    }

    /// The value at `pointer` in `document`, if present.
    public static func value(at pointer: String, in document: JSONValue) -> JSONValue? {
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

    /// Decodes one reference token.
    public static func unescape(_ token: Substring) -> String {
        var out = ""
        var escaped = false
        for character in token {
            if escaped {
                out.append(character == "1" ? "/" : character == "0" ? "~" : character)
                escaped = false
            } else if character == "~" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
