/// Why a rules file was rejected: every problem found (up to ``RulesError/maxIssues``), each
/// naming the file, the line and the field.
///
/// ```
/// rules/default.yaml:14: segments[1].thresholds.alert: must be a number in [0, 1] or "off", found "high"
/// rules/default.yaml:40: rules[2].id: duplicate rule id "big_amount" (first at line 31)
/// ```
///
/// Fields are written as paths from the top of the file with 0-based list indexes
/// (`segments[1]` is the second segment); the line is where that field (or, for a missing
/// field, its parent) is written.
public struct RulesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// At most this many issues are kept; ``omittedIssues`` counts the rest.
    public static let maxIssues = 50

    /// One problem in a rules file.
    public struct Issue: Hashable, Sendable, CustomStringConvertible {
        /// The file the problem is in (the rules file as its path was given).
        public var file: String
        /// 1-based line.
        public var line: Int
        /// The field, e.g. `segments[1].thresholds.alert`; `(file)` for the whole file,
        /// `(yaml)` for a YAML syntax error.
        public var field: String
        /// What is wrong.
        public var message: String
        /// JSON pointer to the field (`/segments/1/thresholds/alert`), `""` for the file.
        public var pointer: String

        /// Creates an issue.
        public init(file: String, line: Int, field: String, message: String, pointer: String = "") {
            self.file = file
            self.line = line
            self.field = field
            self.message = message
            self.pointer = pointer
        }

        /// `file:line: field: message`.
        public var description: String { "\(file):\(line): \(field): \(message)" }
    }

    /// The rules file as its path was given.
    public var file: String
    /// The problems, ordered by line (ties in the order found).
    public var issues: [Issue]
    /// Problems found beyond ``maxIssues`` and not listed.
    public var omittedIssues: Int

    /// Creates an error, keeping the first ``maxIssues`` issues by line.
    public init(file: String, issues: [Issue]) {
        self.file = file
        let ordered = issues.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        self.issues = Array(ordered.prefix(RulesError.maxIssues))
        self.omittedIssues = max(0, ordered.count - RulesError.maxIssues)
    }

    /// Creates an error with a single issue.
    public init(file: String, line: Int, field: String, message: String, pointer: String = "") {
        self.init(file: file, issues: [Issue(file: file, line: line, field: field, message: message, pointer: pointer)])
    }

    /// One line per issue, then `… and N more problems` if some were omitted.
    public var description: String {
        var lines = issues.map(\.description)
        if omittedIssues > 0 { lines.append("\(file): ... and \(omittedIssues) more problem\(omittedIssues == 1 ? "" : "s")") }
        return lines.joined(separator: "\n")
    }

    /// The first issue's text, for a one-line log message.
    public var summary: String {
        guard let first = issues.first else { return "\(file): rejected" }
        let more = issues.count - 1 + omittedIssues
        return more == 0 ? first.description : "\(first.description) (and \(more) more problem\(more == 1 ? "" : "s"))"
    }
}
