/// RFC 6901 pointer building.
enum JSONPointer {
    /// Appends one reference token, escaping `~` and `/`.
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

    /// Decodes one reference token.
    static func unescape(_ token: Substring) -> String {
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
