/// A file that could not be opened, read, written or closed.
public struct FileIOError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What failed and why.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `data/transactions.ndjson: cannot open: No such file or directory`.
    public var description: String { "\(path): \(reason)" }
}
