import ArgumentParser
import FraudEngine
import FraudPipeline
import FraudSimulator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `fraudstream bench engine`: decode + features + score + learn on one core.
///
/// 1. Generates a stream with the simulator (ULB handbook model, fraud reports 1–14 days
///    later), encodes every transaction and label as JSON in memory (typical messages of
///    about 250 bytes with ids, amount, currency, RFC 3339 time, terminal, MCC, country,
///    channel and coordinates).
/// 2. Throughput: a fresh engine with the default configuration (online logistic
///    regression and Half-Space Trees, 10 trees of height 8, both on; negatives learned at
///    once, so every transaction is a model update too) decodes and processes every
///    message in order; labels are decoded and learned as they come.
/// 3. Latency: the same on a fresh engine, timing each transaction (decode + score +
///    learn) with the monotonic clock; p50, p99, p99.9.
/// 4. Memory per card: a fresh engine fed `--memory-cards` distinct cards (one payment
///    each, a small pending buffer and 1,000 terminals so cards dominate); the growth of
///    the resident set divided by the cards, and the engine's own accounting.
///
/// Every run prints its figures; the last lines are the medians over `--runs`.
struct EngineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure decode + features + score + learn throughput on one core.",
        discussion: """
            Targets (release build): >= 1,000,000 transactions/s, p99 <= 20 µs, <= 300 bytes \
            per active card. Run on a quiet machine; quote the medians.
            """
    )

    @Option(help: "Transactions in the measured stream.")
    var transactions = 2_000_000

    @Option(help: "Simulated customers (cards) in the stream.")
    var customers = 20_000

    @Option(help: "Simulated terminals in the stream.")
    var terminals = 40_000

    @Option(help: "Measured runs (throughput and latency); medians are printed last.")
    var runs = 3

    @Option(help: "Distinct cards for the memory measurement (0 skips it).")
    var memoryCards = 1_000_000

    @Option(help: "Simulator seed.")
    var seed: UInt64 = 1

    @Option(help: "Pending-buffer capacity of the measured engines (default: the engine's default).")
    var pendingCapacity: Int?

    @Option(
        help: "Messages decoded per chunk in the throughput runs before the chunk is scored, with the state of the transactions ahead prefetched, as the live processor and the replay do (1: one message at a time, no prefetch).")
    var chunk = 256

    @Flag(inversion: .prefixedNo, help: "Measure per-transaction latency after each throughput run.")
    var latency = true

    func validate() throws {
        guard transactions > 0, customers > 0, terminals > 0, runs > 0, memoryCards >= 0, (pendingCapacity ?? 1) > 0, chunk > 0 else {
            throw ValidationError("counts must be positive")
        }
    }

    func run() async throws {
        var engineConfiguration = EngineConfiguration.default
        if let pendingCapacity { engineConfiguration.pendingCapacity = pendingCapacity }
        var stream = try EngineBenchmarkStream.generate(
            transactions: transactions, customers: customers, terminals: terminals, seed: seed)
        stream.configuration = engineConfiguration
        print("throughput: chunks of \(chunk) message\(chunk == 1 ? "" : "s")\(chunk > 1 ? ", state of the transactions ahead prefetched, reasons in one array per chunk" : "")")
        print(
            "stream: \(stream.transactionCount) transactions + \(stream.labelCount) labels, "
                + "mean transaction message \(fixed(stream.meanTransactionBytes, 1)) bytes, "
                + "\(customers) cards, \(terminals) terminals")
        var rates: [Double] = []
        var cpuRates: [Double] = []
        var p50s: [Double] = []
        var p99s: [Double] = []
        var p999s: [Double] = []
        for run in 1...runs {
            let throughput = try stream.measureThroughput(chunk: chunk)
            let latency = self.latency ? try stream.measureLatency() : (p50: 0, p99: 0, p999: 0, max: 0)
            rates.append(throughput.transactionsPerSecond)
            cpuRates.append(Double(stream.transactionCount) / throughput.cpuSeconds)
            p50s.append(latency.p50)
            p99s.append(latency.p99)
            p999s.append(latency.p999)
            print(
                "run \(run): \(Int(throughput.transactionsPerSecond)) tx/s (\(fixed(throughput.seconds, 3)) s, "
                    + "labels included; \(Int(Double(stream.transactionCount) / throughput.cpuSeconds)) tx per CPU second), latency p50 \(fixed(latency.p50, 2)) µs, p99 \(fixed(latency.p99, 2)) µs, "
                    + "p99.9 \(fixed(latency.p999, 2)) µs, max \(fixed(latency.max, 1)) µs; sum of the scores \(throughput.scoreSum)")
        }
        var memoryLine = ""
        if memoryCards > 0 {
            let memory = try EngineBenchmarkStream.measureMemory(cards: memoryCards)
            memoryLine =
                "memory: \(memoryCards) cards: \(fixed(memory.residentBytesPerCard, 1)) bytes/card resident "
                + "(RSS +\(memory.residentDelta / 1_048_576) MiB), \(fixed(memory.accountedBytesPerCard, 1)) "
                + "bytes/card allocated by the card table"
            print(memoryLine)
        }
        print(
            "median of \(runs): \(Int(median(rates))) tx/s (\(Int(median(cpuRates))) tx per CPU second), p50 \(fixed(median(p50s), 2)) µs, "
                + "p99 \(fixed(median(p99s), 2)) µs, p99.9 \(fixed(median(p999s), 2)) µs")
    }
}

/// The in-memory message stream and the measurements.
fileprivate struct EngineBenchmarkStream {
    /// All messages back to back; `offsets[i]..<offsets[i+1]` is message i.
    var bytes: [UInt8]
    var offsets: [Int]
    /// Whether message i is a label (otherwise a transaction).
    var isLabel: [Bool]
    var transactionCount: Int
    var labelCount: Int
    var meanTransactionBytes: Double
    /// Configuration of the measured engines.
    var configuration = EngineConfiguration.default

    static func generate(transactions: Int, customers: Int, terminals: Int, seed: UInt64) throws -> EngineBenchmarkStream {
        // Enough days for the requested transactions (about 2 per customer per day), plus a margin.
        let days = max(2, transactions / max(1, customers * 2) + 2)
        var simulation = SimulatorConfiguration(customers: customers, terminals: terminals, days: days, seed: seed)
        simulation.seed = seed
        var events = try SimulatedEventStream(configuration: simulation)
        let transactionEncoder = TransactionEncoder()
        let labelEncoder = LabelEncoder()
        var result = EngineBenchmarkStream(
            bytes: [], offsets: [0], isLabel: [], transactionCount: 0, labelCount: 0, meanTransactionBytes: 0)
        result.bytes.reserveCapacity(transactions * 260)
        var transactionBytes = 0
        while result.transactionCount < transactions, let event = events.next() {
            switch event {
            case .compromise:
                continue
            case .transaction(let simulated):
                let before = result.bytes.count
                transactionEncoder.encode(simulated.transaction, into: &result.bytes)
                transactionBytes += result.bytes.count - before
                result.isLabel.append(false)
                result.transactionCount += 1
            case .label(let label):
                labelEncoder.encode(label, into: &result.bytes)
                result.isLabel.append(true)
                result.labelCount += 1
            }
            result.offsets.append(result.bytes.count)
        }
        result.meanTransactionBytes = Double(transactionBytes) / Double(max(1, result.transactionCount))
        return result
    }

    /// Decodes and processes every message on a fresh engine; wall time of the loop.
    ///
    /// With `chunk` > 1, as ``ScoringCore`` and the replay work: a chunk of messages is
    /// decoded (and the transactions' keys hashed) first, then processed in order while the
    /// engine state of the transactions one and two places ahead is prefetched.
    func measureThroughput(chunk: Int) throws -> (
        seconds: Double, transactionsPerSecond: Double, cpuSeconds: Double, scoreSum: Double
    ) {
        let engine = Engine(configuration: configuration)
        let transactionDecoder = TransactionDecoder()
        let labelDecoder = LabelDecoder()
        var checksum = 0.0
        var transactions: [Transaction] = []
        var keys: [TransactionKeys] = []
        var labels: [Label] = []
        // Per message of the chunk: the index in `transactions` (>= 0) or ~index in `labels`.
        var order: [Int] = []
        // The reasons of a chunk's decisions in one reused array, as the live processor and
        // the replay keep them (one array per decision would be an allocation each).
        var reasons: [ReasonCode] = []
        transactions.reserveCapacity(chunk)
        keys.reserveCapacity(chunk)
        order.reserveCapacity(chunk)
        let start = monotonicNanoseconds()
        let cpuStart = ThreadCPUClock.seconds()
        try bytes.withUnsafeBytes { raw in
            if chunk == 1 {
                for i in 0..<isLabel.count {
                    let message = UnsafeRawBufferPointer(rebasing: raw[offsets[i]..<offsets[i + 1]])
                    if isLabel[i] {
                        engine.learn(try labelDecoder.decode(message))
                    } else {
                        checksum += try engine.score(try transactionDecoder.decode(message)).score
                    }
                }
                return
            }
            var first = 0
            while first < isLabel.count {
                let end = min(first + chunk, isLabel.count)
                transactions.removeAll(keepingCapacity: true)
                keys.removeAll(keepingCapacity: true)
                labels.removeAll(keepingCapacity: true)
                order.removeAll(keepingCapacity: true)
                reasons.removeAll(keepingCapacity: true)
                for i in first..<end {
                    let message = UnsafeRawBufferPointer(rebasing: raw[offsets[i]..<offsets[i + 1]])
                    if isLabel[i] {
                        order.append(~labels.count)
                        labels.append(try labelDecoder.decode(message))
                    } else {
                        let transaction = try transactionDecoder.decode(message)
                        order.append(transactions.count)
                        keys.append(TransactionKeys(transaction))
                        transactions.append(transaction)
                    }
                }
                for index in order {
                    if index < 0 {
                        engine.learn(labels[~index])
                        continue
                    }
                    engine.prefetchAhead(of: index, count: keys.count) { keys[$0] }
                    checksum += try engine.score(transactions[index], keys: keys[index], appendingReasonsTo: &reasons).score
                }
                first = end
            }
        }
        let cpuSeconds = ThreadCPUClock.seconds() - cpuStart
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        precondition(checksum.isFinite)
        return (seconds, Double(transactionCount) / seconds, cpuSeconds, checksum)
    }

    /// Per-transaction latency (decode + score + learn), in microseconds.
    func measureLatency() throws -> (p50: Double, p99: Double, p999: Double, max: Double) {
        let engine = Engine(configuration: configuration)
        let transactionDecoder = TransactionDecoder()
        let labelDecoder = LabelDecoder()
        var samples: [UInt64] = []
        samples.reserveCapacity(transactionCount)
        try bytes.withUnsafeBytes { raw in
            for i in 0..<isLabel.count {
                let message = UnsafeRawBufferPointer(rebasing: raw[offsets[i]..<offsets[i + 1]])
                if isLabel[i] {
                    engine.learn(try labelDecoder.decode(message))
                } else {
                    let start = monotonicNanoseconds()
                    _ = try engine.score(try transactionDecoder.decode(message))
                    samples.append(monotonicNanoseconds() - start)
                }
            }
        }
        samples.sort()
        func percentile(_ p: Double) -> Double {
            Double(samples[min(samples.count - 1, Int(p * Double(samples.count)))]) / 1000
        }
        return (percentile(0.5), percentile(0.99), percentile(0.999), Double(samples.last ?? 0) / 1000)
    }

    /// Resident-set growth per card for `cards` distinct cards.
    static func measureMemory(cards: Int) throws -> (
        residentBytesPerCard: Double, residentDelta: Int, accountedBytesPerCard: Double
    ) {
        var configuration = EngineConfiguration.default
        configuration.pendingCapacity = 4096
        configuration.maxCards = max(cards, 1)
        let engine = Engine(configuration: configuration)
        let eur = CurrencyCode("EUR")!
        let t0: EpochMillis = 1_775_001_600_000
        // Warm up terminals, merchants and models first so that only cards grow afterwards.
        for i in 0..<5_000 {
            _ = try engine.score(
                Transaction(
                    transactionID: "w\(i)", cardID: "warm-\(i % 100)", merchantID: "m\(i % 200)", amount: Money(whole: 20),
                    currency: eur, timestamp: t0 + Int64(i), terminalID: "t\(i % 1000)", mcc: 5411, country: "FR",
                    channel: "card_present", latitude: 48.8, longitude: 2.3))
        }
        let before = residentBytes()
        for i in 0..<cards {
            _ = try engine.score(
                Transaction(
                    transactionID: "x\(i)", cardID: "card-\(i)", merchantID: "m\(i % 200)",
                    amount: Money(units: Int64(100_000 + i % 900_000)), currency: eur, timestamp: t0 + 5_000 + Int64(i),
                    terminalID: "t\(i % 1000)", mcc: 5411, country: "FR", channel: "card_present", latitude: 48.8,
                    longitude: 2.3))
        }
        let delta = residentBytes() - before
        let accounted = Double(engine.allocatedStateBytes.cards) / Double(engine.statistics.activeCards)
        return (Double(delta) / Double(cards), delta, accounted)
    }
}

/// Monotonic clock in nanoseconds (benchmarks only: the engine never reads a clock).
fileprivate func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Resident set size in bytes (Linux `/proc/self/statm`; 0 where unavailable).
fileprivate func residentBytes() -> Int {
    #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        if fd < 0 { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 255) }
        if n <= 0 { return 0 }
        let fields = buffer[0..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
        return 0
    #endif
}

fileprivate func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    if sorted.isEmpty { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Fixed-point text without Foundation.
fileprivate func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let s = Int64(scale)
    if digits == 0 { return "\(scaled)" }
    let fraction = String(abs(scaled) % s)
    let sign = scaled < 0 ? "-" : ""
    return "\(sign)\(abs(scaled) / s).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
}
