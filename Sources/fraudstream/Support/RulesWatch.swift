import FraudPipeline
import FraudRules
import Logging

/// Keeps a processor's rules in step with a rules file: checked every second and on SIGHUP.
/// A rejected file keeps the rules in use; every reload is logged (the reloader counts
/// successes and failures).
final class RulesWatch: Sendable {
    private let reloader: RulesReloader?
    private let task: Task<Void, Never>

    /// Starts watching `path` (nothing to watch when nil).
    init(path: String?, initial: RuleSet, processor: LiveProcessor, logger: Logger) {
        let reloader = path.map { RulesReloader(path: $0, initial: initial) }
        self.reloader = reloader
        task = Task {
            guard let reloader else { return }
            for await result in reloader.events() {
                let counts = "(\(result.statistics.succeeded) reloads, \(result.statistics.failed) rejected)"
                if result.succeeded {
                    if result.changed { processor.replaceRules(reloader.current) }
                    logger.notice("\(result) \(counts)")
                } else {
                    logger.error("\(result) \(counts)")
                }
            }
        }
        if let reloader {
            reloader.startWatching(every: .seconds(1))
            reloader.reloadOnSIGHUP()
        }
    }

    /// Reloads so far (succeeded, failed).
    var statistics: RulesReloadStatistics? { reloader?.statistics }

    /// Stops watching.
    func stop() {
        reloader?.stop()
        task.cancel()
    }
}
