import FraudPipeline
import FraudRules
import Foundation
import Synchronization

/// The demo's downstream reader: checks every alert read from the alerts topic against the
/// simulator's truth. Counts each transaction once (delivery is at least once).
final class AlertChecker: Sendable {
    /// Alerted transactions and how many of them are frauds, per action.
    struct Counts: Sendable {
        var alerted: [RuleAction: Int] = [:]
        var frauds: [RuleAction: Int] = [:]
        var malformed = 0
        var total: Int { alerted.values.reduce(0, +) }
        var totalFrauds: Int { frauds.values.reduce(0, +) }
    }

    private struct State {
        var counts = Counts()
        var seen: Set<String> = []
    }

    private let feed: SimulatedFeed
    private let state = Mutex(State())

    init(feed: SimulatedFeed) { self.feed = feed }

    var counts: Counts { state.withLock { $0.counts } }

    /// Records one alert message's value.
    func record(_ value: ArraySlice<UInt8>?) {
        guard let value,
            let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
            let transactionID = json["transaction_id"] as? String,
            let action = (json["action"] as? String).flatMap(RuleAction.init(rawValue:))
        else {
            state.withLock { $0.counts.malformed += 1 }
            return
        }
        let fraud = feed.isFraud(transactionID)
        state.withLock { s in
            guard s.seen.insert(transactionID).inserted else { return }
            s.counts.alerted[action, default: 0] += 1
            if fraud { s.counts.frauds[action, default: 0] += 1 }
        }
    }
}
