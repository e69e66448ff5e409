/// What caused a reload.
public enum RulesReloadTrigger: String, Hashable, Sendable, CustomStringConvertible {
    /// A call to ``RulesReloader/reload(trigger:)`` (e.g. an admin endpoint).
    case manual
    /// The watcher saw the rules file or one of its list files change.
    case fileChanged = "file_changed"
    /// The process received SIGHUP.
    case sighup

    /// `manual`, `file_changed` or `sighup`.
    public var description: String { rawValue }
}

/// Counts of reload attempts since the reloader was created (the initial load excluded).
public struct RulesReloadStatistics: Hashable, Sendable {
    /// Reloads that installed the file's rules (even if they equal the previous ones).
    public var succeeded: Int
    /// Reloads that were rejected; the previous rules stayed in force.
    public var failed: Int

    /// Creates statistics.
    public init(succeeded: Int = 0, failed: Int = 0) {
        self.succeeded = succeeded
        self.failed = failed
    }
}

/// The outcome of one reload: also the event the reloader reports for logging.
public struct RulesReloadResult: Sendable, CustomStringConvertible {
    /// What caused it.
    public var trigger: RulesReloadTrigger
    /// The rules file.
    public var path: String
    /// Version in force before the reload.
    public var previousVersion: String
    /// Version in force after it (the previous one when the reload failed).
    public var version: String
    /// Why the file was rejected; nil on success.
    public var error: RulesError?
    /// True when the new rules differ from the previous ones (false for a rejected file or an
    /// unchanged one).
    public var changed: Bool
    /// Counts including this reload.
    public var statistics: RulesReloadStatistics

    /// True when the file's rules are now in force.
    public var succeeded: Bool { error == nil }

    /// Creates a result.
    public init(
        trigger: RulesReloadTrigger, path: String, previousVersion: String, version: String, error: RulesError?,
        changed: Bool, statistics: RulesReloadStatistics
    ) {
        self.trigger = trigger
        self.path = path
        self.previousVersion = previousVersion
        self.version = version
        self.error = error
        self.changed = changed
        self.statistics = statistics
    }

    /// One log line, e.g. `rules reloaded from rules/default.yaml (sighup): version 3 -> 4`
    /// or `rules rejected from rules/default.yaml (file_changed), keeping version 3: …`.
    public var description: String {
        if let error {
            return "rules rejected from \(path) (\(trigger)), keeping version \(version): \(error.summary)"
        }
        let change = changed ? "version \(previousVersion) -> \(version)" : "version \(version), unchanged"
        return "rules reloaded from \(path) (\(trigger)): \(change)"
    }
}
