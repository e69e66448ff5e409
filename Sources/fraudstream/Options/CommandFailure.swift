/// A failure a command reports in one line, without a usage hint (the arguments were
/// well-formed; what they point at is wrong: a bad configuration or rules file).
struct CommandFailure: Error, CustomStringConvertible {
    /// The message, e.g. `rules.yaml:11: thresholds: must be a mapping (field: value)`.
    var description: String

    init(_ description: String) { self.description = description }
}
