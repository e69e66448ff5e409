/// A configuration problem, located: the file and line (or the environment variable or
/// flag) and the key at fault.
///
///     /etc/fraudstream.yaml:12: engine.seed: expected a non-negative integer, found "abc"
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file path, `environment variable FRAUDSTREAM_…`, or `flag --…`.
    public var source: String
    /// The 1-based line in the file, when the problem is in a file.
    public var line: Int?
    /// The key at fault, dotted (`engine.seed`, `kafka`), empty for the file as a whole.
    public var key: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(source: String, line: Int?, key: String, message: String) {
        self.source = source
        self.line = line
        self.key = key
        self.message = message
    }

    /// `source:line: key: message`.
    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        if !key.isEmpty { text += "\(key): " }
        return text + message
    }
}
