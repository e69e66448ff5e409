import FraudModels

@testable import FraudEngine

/// Shared helpers for the engine tests: hand-made transactions and a small seeded stream
/// with two fraud patterns (compromised terminals, compromised cards paying ×5) and fraud
/// reports delayed by 1–3 days.
enum TestStream {
    static let t0: EpochMillis = 1_775_001_600_000  // 2026-04-01T00:00:00Z, a Wednesday
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    static let eur = CurrencyCode("EUR")!

    static func tx(
        _ id: String, card: String = "card-1", merchant: String = "m-1", terminal: String? = "t-1",
        amount: String = "20", at time: EpochMillis, country: String? = "FR", channel: String? = "card_present",
        mcc: Int? = 5411, latitude: Double? = nil, longitude: Double? = nil
    ) -> Transaction {
        Transaction(
            transactionID: id, cardID: card, merchantID: merchant, amount: Money(amount)!, currency: eur,
            timestamp: time, terminalID: terminal, mcc: mcc, country: country, channel: channel, latitude: latitude,
            longitude: longitude)
    }

    enum Event {
        case transaction(Transaction, isFraud: Bool)
        case label(Label)
    }

    /// A deterministic stream of about `days × cards × 1.5` transactions plus fraud reports.
    static func events(seed: UInt64 = 7, cards: Int = 150, terminals: Int = 60, days: Int = 20) -> [Event] {
        var rng = DeterministicRandom(seed: seed)
        let means = (0..<cards).map { _ in rng.nextDouble(in: 10, 80) }
        let homes = (0..<cards).map { _ in (0..<4).map { _ in rng.nextInt(below: terminals) } }
        var compromisedTerminalUntil = [Int64](repeating: .min, count: terminals)
        var compromisedCardUntil = [Int64](repeating: .min, count: cards)
        var reports: [Label] = []  // kept sorted by reportedAt (insertion)
        var events: [Event] = []
        var serial = 0
        for d in 0..<days {
            let dayStart = t0 + Int64(d) * day
            // Each day from day 3: one terminal and one card get compromised for 5 days.
            if d >= 3 {
                compromisedTerminalUntil[rng.nextInt(below: terminals)] = dayStart + 5 * day
                compromisedCardUntil[rng.nextInt(below: cards)] = dayStart + 5 * day
            }
            var dayTx: [(Int64, Int)] = []
            for c in 0..<cards {
                let n = rng.nextInt(below: 3) + (rng.nextBool(probability: 0.5) ? 1 : 0)
                for _ in 0..<n {
                    let offset = Int64(rng.nextInt(below: Int(day - 1)))
                    dayTx.append((dayStart + offset, c))
                }
            }
            dayTx.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for (time, c) in dayTx {
                // Deliver due reports first.
                while let first = reports.first, first.reportedAt <= time {
                    events.append(.label(first))
                    reports.removeFirst()
                }
                let terminal = homes[c][rng.nextInt(below: 4)]
                var amount = max(1, means[c] * (0.6 + 0.8 * rng.nextDouble()))
                var fraud = compromisedTerminalUntil[terminal] > time
                if compromisedCardUntil[c] > time && rng.nextBool(probability: 0.4) {
                    amount *= 5
                    fraud = true
                }
                serial += 1
                let id = "tx-\(serial)"
                let cents = Int64(amount * 100)
                let transaction = Transaction(
                    transactionID: id, cardID: "card-\(c)", merchantID: "m-\(terminal / 2)",
                    amount: Money(units: cents * 100), currency: eur, timestamp: time, terminalID: "t-\(terminal)",
                    mcc: 5411 + terminal % 7, country: "FR", channel: terminal % 5 == 0 ? "ecommerce" : "card_present",
                    latitude: 48.0 + Double(terminal % 10) * 0.05, longitude: 2.0 + Double(terminal / 10) * 0.05)
                events.append(.transaction(transaction, isFraud: fraud))
                if fraud {
                    let delay = day + Int64(rng.nextInt(below: Int(2 * day)))
                    let label = Label(transactionID: id, isFraud: true, cardID: "card-\(c)", reportedAt: time + delay)
                    let at = reports.firstIndex { $0.reportedAt > label.reportedAt } ?? reports.count
                    reports.insert(label, at: at)
                }
            }
        }
        for label in reports { events.append(.label(label)) }
        return events
    }

    /// Runs `events[range]` through `engine`; returns the decisions' score bit patterns.
    @discardableResult
    static func run(_ engine: Engine, _ events: ArraySlice<Event>) throws -> [UInt64] {
        var bits: [UInt64] = []
        for event in events {
            switch event {
            case .transaction(let tx, _):
                let d = try engine.score(tx)
                bits.append(d.score.bitPattern)
                bits.append(d.modelProbability.bitPattern)
                bits.append(d.anomaly.bitPattern)
            case .label(let label):
                engine.learn(label)
            }
        }
        return bits
    }

    /// Tables so small that cards, terminals, merchants and pending entries are evicted and
    /// slots reused; negatives mature after 2 days (maturity changes old entries' flags).
    static func churningConfiguration() -> EngineConfiguration {
        var c = smallConfiguration()
        c.maxCards = 60
        c.maxTerminals = 30
        c.maxMerchants = 20
        c.pendingCapacity = 300
        c.labelPolicy = .matureAfter(days: 2)
        return c
    }

    /// Small capacities so tests stay fast and exercise eviction paths.
    static func smallConfiguration(seed: UInt64 = 42) -> EngineConfiguration {
        var c = EngineConfiguration(seed: seed)
        c.maxCards = 10_000
        c.maxTerminals = 10_000
        c.maxMerchants = 10_000
        c.pendingCapacity = 50_000
        c.hashBits = 14
        return c
    }

    /// The value of one raw feature after scoring `transaction` (state updated as usual).
    static func feature(_ engine: Engine, _ transaction: Transaction, _ feature: DenseFeature) throws -> Double {
        engine.captureRawFeatures = true
        _ = try engine.score(transaction)
        return engine.capturedRawFeatures[feature.rawValue]
    }
}
