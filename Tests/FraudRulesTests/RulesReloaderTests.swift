import Foundation
import Testing
@testable import FraudRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects reload results from the reloader's callback (called on the reloader's threads).
final class ResultLog: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [RulesReloadResult] = []

    func append(_ result: RulesReloadResult) { lock.withLock { results.append(result) } }
    var all: [RulesReloadResult] { lock.withLock { results } }
}

@Suite struct RulesReloaderTests {
    static func rules(version: String, alert: Double = 0.7, padding: Int = 0) -> String {
        "version: \"\(version)\"\nthresholds: {review: 0.5, alert: \(alert)}\n" + String(repeating: "# padding\n", count: padding)
    }

    /// Polls `condition` every 20 ms for up to `seconds` (generous: the machine may be loaded).
    static func eventually(within seconds: Double = 30, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func aBadFileKeepsThePreviousRulesAndBothOutcomesAreCounted() throws {
        let path = try TestSupport.write(Self.rules(version: "v1"))
        let log = ResultLog()
        let reloader = try RulesReloader(path: path) { log.append($0) }
        #expect(reloader.current.version == "v1")
        #expect(reloader.statistics == RulesReloadStatistics(succeeded: 0, failed: 0))

        try Data("version: \"v2\"\nthresholds: {review: 0.9, alert: 0.7}\n".utf8).write(to: URL(fileURLWithPath: path))
        let failed = reloader.reload()
        #expect(!failed.succeeded)
        #expect(failed.version == "v1" && failed.previousVersion == "v1" && !failed.changed)
        #expect(failed.error?.issues.first?.description.hasPrefix("\(path):2: thresholds.alert: ") == true)
        #expect(failed.description.hasPrefix("rules rejected from \(path) (manual), keeping version v1: \(path):2: thresholds.alert:"))
        #expect(reloader.current.version == "v1")
        #expect(reloader.lastError == failed.error)
        #expect(reloader.statistics == RulesReloadStatistics(succeeded: 0, failed: 1))

        try Data(Self.rules(version: "v2").utf8).write(to: URL(fileURLWithPath: path))
        let succeeded = reloader.reload()
        #expect(succeeded.succeeded && succeeded.changed)
        #expect(succeeded.description == "rules reloaded from \(path) (manual): version v1 -> v2")
        #expect(reloader.current.version == "v2")
        #expect(reloader.lastError == nil)
        #expect(reloader.statistics == RulesReloadStatistics(succeeded: 1, failed: 1))

        let unchanged = reloader.reload()
        #expect(unchanged.succeeded && !unchanged.changed)
        #expect(reloader.statistics == RulesReloadStatistics(succeeded: 2, failed: 1))

        try FileManager.default.removeItem(atPath: path)
        #expect(!reloader.reload().succeeded)
        #expect(reloader.current.version == "v2")
        #expect(log.all.map(\.succeeded) == [false, true, true, false])
        #expect(log.all.map(\.statistics.failed) == [1, 1, 1, 2])
    }

    @Test func aRejectedInitialFileIsAnError() throws {
        let path = try TestSupport.write("thresholds: {review: 0.5}\n")
        #expect(throws: RulesError.self) { try RulesReloader(path: path) }
    }

    @Test func eventStreamsReceiveEveryReload() async throws {
        let path = try TestSupport.write(Self.rules(version: "v1"))
        let reloader = try RulesReloader(path: path)
        let events = reloader.events()
        reloader.reload()
        try Data("not: [valid".utf8).write(to: URL(fileURLWithPath: path))
        reloader.reload(trigger: .manual)
        reloader.stop()
        var received: [Bool] = []
        for await event in events { received.append(event.succeeded) }
        #expect(received == [true, false])
    }

    @Test func aFileChangeIsPickedUpByItself() async throws {
        let path = try TestSupport.write(Self.rules(version: "v1"))
        let log = ResultLog()
        let reloader = try RulesReloader(path: path) { log.append($0) }
        reloader.startWatching(every: .milliseconds(50))
        defer { reloader.stop() }

        // Write a bad file first: rejected, the old rules stay. (Files are replaced atomically
        // here so that a loaded machine cannot make the watcher see one half-written; the
        // watcher's settling delay covers that case in practice, not deterministically.)
        try Data("version: \"v2\"\nthresholds: {alert: nope}\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(await Self.eventually { reloader.statistics.failed == 1 })
        #expect(reloader.current.version == "v1")
        // A rejected file is not retried while it stays the same.
        try await Task.sleep(for: .milliseconds(300))
        #expect(reloader.statistics.failed == 1)

        // Then a good one (replaced atomically, as deployments do).
        try Data(Self.rules(version: "v2", padding: 3).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(await Self.eventually { reloader.current.version == "v2" })
        #expect(reloader.statistics == RulesReloadStatistics(succeeded: 1, failed: 1))
        #expect(log.all.map(\.trigger) == [.fileChanged, .fileChanged])
    }

    @Test func aListFileChangeIsPickedUp() async throws {
        let directory = try TestSupport.temporaryDirectory()
        let listPath = try TestSupport.write("card-1\n", named: "blocked.txt", in: directory)
        let path = try TestSupport.write("version: \"v1\"\nlists:\n  block_cards: {file: blocked.txt}\n", in: directory)
        let reloader = try RulesReloader(path: path)
        reloader.startWatching(every: .milliseconds(50))
        defer { reloader.stop() }
        #expect(reloader.current.ids(inList: "block_cards") == ["card-1"])
        try Data("card-1\ncard-2\n".utf8).write(to: URL(fileURLWithPath: listPath), options: .atomic)
        #expect(await Self.eventually { reloader.current.ids(inList: "block_cards") == ["card-1", "card-2"] })
        #expect(reloader.statistics.succeeded == 1)
    }

    @Test func sighupReloads() async throws {
        let path = try TestSupport.write(Self.rules(version: "v1"))
        let log = ResultLog()
        let reloader = try RulesReloader(path: path) { log.append($0) }
        // reloadOnSIGHUP ignores SIGHUP before installing its handler: the signal can no
        // longer terminate the test process.
        reloader.reloadOnSIGHUP()
        defer { reloader.stop() }
        try Data(Self.rules(version: "v2", padding: 1).utf8).write(to: URL(fileURLWithPath: path))
        // libdispatch registers the signal source on its manager thread shortly after
        // `resume()`: a signal sent before that is ignored, so send it until it is seen (a
        // loaded machine can take a while; one SIGHUP that lands is enough).
        var sent = 0
        #expect(await Self.eventually {
            if reloader.current.version == "v2" { return true }
            if sent % 10 == 0 { kill(getpid(), SIGHUP) }
            sent += 1
            return false
        })
        #expect(log.all.first?.trigger == .sighup)
        #expect(reloader.statistics.succeeded >= 1)
    }
}
