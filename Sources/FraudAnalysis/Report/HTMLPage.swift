/// A self-contained HTML page: inline CSS, no scripts, fonts or other external resources,
/// so a report can be mailed or archived as one file.
public struct HTMLPage: Sendable {
    /// The page title (also the first heading).
    public var title: String
    /// The body, already HTML.
    public var body: String = ""

    /// Creates a page.
    public init(title: String) { self.title = title }

    /// Escapes text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Appends a heading.
    public mutating func heading(_ text: String, level: Int = 2) {
        body += "<h\(level)>\(Self.escape(text))</h\(level)>\n"
    }

    /// Appends a paragraph of text.
    public mutating func paragraph(_ text: String, className: String? = nil) {
        body += "<p\(className.map { " class=\"\($0)\"" } ?? "")>\(Self.escape(text))</p>\n"
    }

    /// Appends raw HTML (e.g. an SVG chart).
    public mutating func raw(_ html: String) { body += html + "\n" }

    /// Appends a definition table of (name, value) pairs.
    public mutating func facts(_ pairs: [(String, String)]) {
        body += "<table class=\"facts\">\n"
        for (name, value) in pairs {
            body += "<tr><th>\(Self.escape(name))</th><td>\(Self.escape(value))</td></tr>\n"
        }
        body += "</table>\n"
    }

    /// Appends a table; rows whose index is in `highlighted` are emphasised.
    public mutating func table(_ table: TextTable, highlighted: Set<Int> = [], caption: String? = nil) {
        body += "<table class=\"data\">\n"
        if let caption { body += "<caption>\(Self.escape(caption))</caption>\n" }
        body += "<thead><tr>" + table.headers.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (index, row) in table.rows.enumerated() {
            body += highlighted.contains(index) ? "<tr class=\"chosen\">" : "<tr>"
            for (column, cell) in row.enumerated() {
                let align = table.alignments[column] == .right ? " class=\"num\"" : ""
                body += "<td\(align)>\(Self.escape(cell))</td>"
            }
            body += "</tr>\n"
        }
        body += "</tbody></table>\n"
    }

    /// The whole document.
    public func render() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 2em auto; max-width: 1100px; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
        h3 { font-size: 1.05em; margin-top: 1.4em; }
        table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
        table.data th, table.data td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; }
        table.data th { background: #f6f8fa; }
        table.facts th { text-align: left; padding: 0.15em 1.2em 0.15em 0; font-weight: 600; vertical-align: top; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.chosen td { background: #fff3bf; font-weight: 600; }
        caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
        .recommendation { background: #e7f5ff; border-left: 4px solid #1c7ed6; padding: 0.6em 0.9em; }
        .warning { background: #fff4e6; border-left: 4px solid #e8590c; padding: 0.6em 0.9em; }
        .note { color: #57606a; font-size: 0.9em; }
        .charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
        svg { background: #fff; }
        </style>
        </head>
        <body>
        <h1>\(Self.escape(title))</h1>
        \(body)</body>
        </html>

        """
    }
}
