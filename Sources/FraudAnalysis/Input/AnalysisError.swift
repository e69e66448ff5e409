/// A problem with the inputs or the request of an analysis (`fraudstream tune`,
/// `fraudstream compare`), in one line that names it: the file and line of a record that
/// does not decode, a missing file, an empty decision log, a budget that cannot be met.
public struct AnalysisError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message, e.g. `decisions.ndjson:12: score: expected a number in [0, 1], found "high"`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }

    /// A line of an input file that does not decode: `path:line: detail`.
    static func line(_ path: String, _ line: Int, _ detail: String) -> AnalysisError {
        AnalysisError("\(path):\(line): \(detail)")
    }
}
