/// A table printed in aligned columns: text left-aligned, numbers right-aligned.
public struct TextTable: Sendable {
    /// Column alignment.
    public enum Alignment: Sendable { case left, right }

    /// Column titles.
    public var headers: [String]
    /// Alignment per column.
    public var alignments: [Alignment]
    /// Rows of cells (as many as headers).
    public var rows: [[String]] = []

    /// Creates a table; the first column is left-aligned and the others right-aligned unless given.
    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
    }

    /// Adds a row.
    public mutating func append(_ cells: [String]) {
        precondition(cells.count == headers.count, "a row needs \(headers.count) cells")
        rows.append(cells)
    }

    /// The table: header, a rule, the rows; every line indented by `indent` spaces and
    /// without trailing spaces.
    public func render(indent: Int = 0) -> String {
        let widths = headers.indices.map { column in
            ([headers] + rows).reduce(0) { max($0, $1[column].count) }
        }
        let pad = String(repeating: " ", count: indent)
        func line(_ cells: [String]) -> String {
            var text = pad
            for (column, cell) in cells.enumerated() {
                if column > 0 { text += "  " }
                let fill = String(repeating: " ", count: widths[column] - cell.count)
                text += alignments[column] == .left ? cell + fill : fill + cell
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var lines = [line(headers)]
        lines.append(pad + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}
