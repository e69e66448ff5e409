import Dispatch
import Foundation

/// Holds the rules in force and replaces them when the file changes, on SIGHUP, or on
/// request, keeping the previous rules whenever the new file is rejected.
///
/// ```swift
/// let reloader = try RulesReloader(path: "rules/default.yaml") { logger.info("\($0)") }
/// reloader.startWatching()   // poll the file (and its list files) every second
/// reloader.reloadOnSIGHUP()  // `kill -HUP <pid>` reloads
/// let rules = reloader.current  // read once per batch, then evaluate with it
/// ```
///
/// Every reload attempt, whatever triggered it, is counted in ``statistics`` and reported
/// (as a ``RulesReloadResult``) to the `onEvent` callback and to every ``events()`` stream,
/// for the processor to log and export as metrics. Reloads are serialised; events arrive in
/// reload order. The callback runs on the thread that reloaded (the reloader's private queue
/// for file changes and SIGHUP); it may read ``current`` or even call ``reload(trigger:)``.
///
/// The file watcher polls the identity (device, inode, size, modification time) of the rules
/// file and of the list files of the rules in force, and reloads once a change has been
/// stable for one poll interval, so a file caught half-written is not loaded. A file that
/// was rejected is not retried until it changes again (or on SIGHUP or request).
///
/// `@unchecked Sendable` invariant: every mutable stored property is read and written only
/// with `state` held; `reloadLock` serialises whole reloads (load, swap, notify).
public final class RulesReloader: @unchecked Sendable {
    /// The rules file.
    public let path: String

    private let state = NSLock()
    private let reloadLock = NSRecursiveLock()
    private let queue = DispatchQueue(label: "fraudstream.rules-reloader")
    private let onEvent: (@Sendable (RulesReloadResult) -> Void)?

    private var rules: RuleSet
    private var counts = RulesReloadStatistics()
    private var latestError: RulesError?
    /// Identities of the rules file and its list files when they were last loaded.
    private var loadedIdentities: [FileIdentity?]
    /// Identities seen by the previous poll when they differed from `loadedIdentities`.
    private var pendingIdentities: [FileIdentity?]?
    private var timer: (any DispatchSourceTimer)?
    private var signalSource: (any DispatchSourceSignal)?
    private var subscribers: [(id: Int, continuation: AsyncStream<RulesReloadResult>.Continuation)] = []
    private var nextSubscriberID = 0

    /// Loads the rules file; a rejected file is an error here (there are no previous rules
    /// to keep).
    public convenience init(path: String, onEvent: (@Sendable (RulesReloadResult) -> Void)? = nil) throws(RulesError) {
        let identity = FileIdentity(path: path)
        let rules = try RuleSet.load(contentsOf: path)
        self.init(path: path, initial: rules, identity: identity, onEvent: onEvent)
    }

    /// Starts from rules already loaded from `path`.
    public convenience init(path: String, initial: RuleSet, onEvent: (@Sendable (RulesReloadResult) -> Void)? = nil) {
        self.init(path: path, initial: initial, identity: FileIdentity(path: path), onEvent: onEvent)
    }

    private init(path: String, initial: RuleSet, identity: FileIdentity?, onEvent: (@Sendable (RulesReloadResult) -> Void)?) {
        self.path = path
        self.rules = initial
        self.onEvent = onEvent
        self.loadedIdentities = [identity] + initial.listFiles.map { FileIdentity(path: $0) }
    }

    deinit {
        timer?.cancel()
        signalSource?.cancel()
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    /// The rules in force. Read it once per batch of transactions rather than per
    /// transaction (it takes a lock).
    public var current: RuleSet {
        state.withLock { rules }
    }

    /// Counts of successful and failed reloads so far.
    public var statistics: RulesReloadStatistics {
        state.withLock { counts }
    }

    /// Why the most recent failed reload was rejected; nil after a successful one.
    public var lastError: RulesError? {
        state.withLock { latestError }
    }

    /// Loads the file now. On success its rules replace the current ones; on failure the
    /// current rules stay and the error is returned. Either way the attempt is counted and
    /// reported to the callback and the event streams.
    @discardableResult
    public func reload(trigger: RulesReloadTrigger = .manual) -> RulesReloadResult {
        reloadLock.lock()
        defer { reloadLock.unlock() }
        let identity = FileIdentity(path: path)
        let loaded = Result { () throws(RulesError) in try RuleSet.load(contentsOf: path) }

        state.lock()
        let previous = rules
        let result: RulesReloadResult
        switch loaded {
        case .success(let new):
            rules = new
            counts.succeeded += 1
            latestError = nil
            result = RulesReloadResult(trigger: trigger, path: path, previousVersion: previous.version, version: new.version,
                                       error: nil, changed: new != previous, statistics: counts)
        case .failure(let error):
            counts.failed += 1
            latestError = error
            result = RulesReloadResult(trigger: trigger, path: path, previousVersion: previous.version, version: previous.version,
                                       error: error, changed: false, statistics: counts)
        }
        loadedIdentities = [identity] + rules.listFiles.map { FileIdentity(path: $0) }
        pendingIdentities = nil
        let subscribers = self.subscribers
        state.unlock()

        onEvent?(result)
        for subscriber in subscribers { subscriber.continuation.yield(result) }
        return result
    }

    /// A stream of every reload result from now on (several streams may be open; each keeps
    /// the newest `bufferSize` results a slow reader has not taken). It ends when the
    /// reloader is stopped or deallocated.
    public func events(bufferSize: Int = 64) -> AsyncStream<RulesReloadResult> {
        let (stream, continuation) = AsyncStream.makeStream(of: RulesReloadResult.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id: Int = state.withLock {
            nextSubscriberID += 1
            subscribers.append((nextSubscriberID, continuation))
            return nextSubscriberID
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.state.withLock { self.subscribers.removeAll { $0.id == id } }
        }
        return stream
    }

    /// Polls the rules file and its list files every `interval` and reloads after a change
    /// (see the type's documentation). Calling it again while watching does nothing.
    public func startWatching(every interval: Duration = .seconds(1)) {
        let (seconds, attoseconds) = interval.components
        let nanoseconds = max(1_000_000, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        state.withLock {
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
                            leeway: .nanoseconds(nanoseconds / 10))
            source.setEventHandler { [weak self] in self?.poll() }
            source.resume()
            timer = source
        }
    }

    /// Reloads whenever the process receives SIGHUP. Sets SIGHUP's disposition to ignore
    /// first (the default would terminate the process) and leaves it so after ``stop()``.
    /// Calling it again does nothing. libdispatch registers the handler on its own thread
    /// just after this returns: a SIGHUP sent in that instant is ignored.
    public func reloadOnSIGHUP() {
        state.withLock {
            guard signalSource == nil else { return }
            signal(SIGHUP, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
            source.setEventHandler { [weak self] in self?.reload(trigger: .sighup) }
            source.resume()
            signalSource = source
        }
    }

    /// Stops watching and handling SIGHUP, and ends the event streams.
    public func stop() {
        let subscribers: [AsyncStream<RulesReloadResult>.Continuation] = state.withLock {
            timer?.cancel()
            timer = nil
            signalSource?.cancel()
            signalSource = nil
            defer { self.subscribers = [] }
            return self.subscribers.map(\.continuation)
        }
        for continuation in subscribers { continuation.finish() }
    }

    /// One watcher tick: reload when the watched files differ from the loaded ones and have
    /// not changed since the previous tick.
    private func poll() {
        let (paths, loaded, pending) = state.withLock { ([path] + rules.listFiles, loadedIdentities, pendingIdentities) }
        let now = paths.map { FileIdentity(path: $0) }
        if now == loaded {
            state.withLock { pendingIdentities = nil }
        } else if let pending, pending == now {
            reload(trigger: .fileChanged)
        } else {
            state.withLock { pendingIdentities = now }
        }
    }
}
