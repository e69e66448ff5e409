import FraudIO
import ArgumentParser
import FraudEngine
import FraudPipeline
import FraudSimulator
import Logging
import RdKafka

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fraudstream generate`: synthetic transactions and delayed fraud reports (the ULB
/// fraud-detection handbook's simulator) as NDJSON files.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate synthetic transactions and delayed fraud labels.",
        discussion: """
            Simulates the ULB fraud-detection handbook's dataset: customers and terminals on a \
            100×100 grid (drawn on a map of Belgium), Poisson transactions per customer and day, \
            and three fraud scenarios (amount > 220; 2 terminals compromised per day for 28 days; \
            3 cards compromised per day for 14 days, a third of their payments ×5). The defaults \
            give about 1.75 million transactions and 0.8% fraud. Same flags, same bytes.

            Writes into --out: transactions.ndjson (by time), labels.ndjson (one fraud report per \
            fraud, 1 to 14 days later, by reported_at), truth.ndjson (each fraud's scenario), \
            compromises.ndjson and summary.json.

            Merchants group consecutive terminals: terminal-N belongs to merchant-(N / 5).

            With --bootstrap, writes to Kafka instead of files: transactions to --topic and \
            fraud reports to --labels-topic, both keyed by card (co-partitioned when the topics \
            have as many partitions: a card's reports reach the processor that scored its \
            transactions), reports with message timestamp = reported_at, in event-time order, at --rate transactions per second of \
            wall-clock time (labels are not counted), until the simulation ends, --limit \
            transactions were sent, or SIGINT/SIGTERM. The topics must exist. This drives any \
            cluster, e.g. `fraudstream generate --bootstrap kafka:9092 --topic transactions --rate 2000`.
            """
    )

    @Option(help: "Number of customers (one card each).")
    var customers: Int = 5_000

    @Option(help: "Number of terminals.")
    var terminals: Int = 10_000

    @Option(help: "Number of days to simulate.")
    var days: Int = 183

    @Option(help: "Start of day 0: an RFC 3339 date (2026-04-01) or date-time (2026-04-01T00:00:00Z).")
    var start: String = "2026-04-01"

    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = 1

    @Option(help: "ISO 4217 currency of the amounts.")
    var currency: String = "EUR"

    @Option(help: "Fraud reports arrive uniformly this many days after the fraud, as MIN...MAX (or MIN-MAX).")
    var fraudReportDelayDays: String = "1...14"

    @Option(help: "Consecutive terminals per merchant (terminal-N belongs to merchant-(N / this)).")
    var terminalsPerMerchant: Int = 5

    @Option(help: "Output directory (created when missing; files in it are replaced).")
    var out: String = "out"

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup(title: "Kafka (with --bootstrap: write to Kafka instead of files)")
    var kafka: KafkaOptions

    @Option(help: "Kafka mode: topic of the transactions.")
    var topic: String = "transactions"

    @Option(help: "Kafka mode: topic of the fraud reports; 'none' sends no labels.")
    var labelsTopic: String = "labels"

    @Option(help: "Kafka mode: transactions per second (default: as fast as the broker takes them).")
    var rate: Double?

    @Option(help: "Kafka mode: stop after this many transactions.")
    var limit: Int?

    mutating func validate() throws {
        guard customers >= 1 else { throw ValidationError("--customers must be at least 1, got \(customers)") }
        guard customers <= 10_000_000 else { throw ValidationError("--customers must be at most 10000000, got \(customers)") }
        guard terminals >= 1 else { throw ValidationError("--terminals must be at least 1, got \(terminals)") }
        guard terminals <= 10_000_000 else { throw ValidationError("--terminals must be at most 10000000, got \(terminals)") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1, got \(days)") }
        guard days <= 36_500 else { throw ValidationError("--days must be at most 36500, got \(days)") }
        guard terminalsPerMerchant >= 1 else {
            throw ValidationError("--terminals-per-merchant must be at least 1, got \(terminalsPerMerchant)")
        }
        _ = try Self.parseStart(start)
        _ = try Self.parseDelay(fraudReportDelayDays)
        guard CurrencyCode(currency) != nil else {
            throw ValidationError("--currency '\(currency)' is not a known ISO 4217 code (e.g. EUR, USD)")
        }
        guard !out.isEmpty else { throw ValidationError("--out must not be empty") }
        if kafka.bootstrap == nil {
            if rate != nil { throw ValidationError("--rate needs --bootstrap (it paces writes to Kafka)") }
            if limit != nil { throw ValidationError("--limit needs --bootstrap") }
        }
        if let rate, !(rate > 0 && rate <= 10_000_000) {
            throw ValidationError("--rate must be between 0 and 10000000 transactions per second, got \(rate)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        guard !topic.isEmpty, !labelsTopic.isEmpty else { throw ValidationError("--topic and --labels-topic must not be empty") }
        _ = try makeConfiguration()
    }

    /// `2026-04-01` (midnight UTC) or a full RFC 3339 date-time.
    static func parseStart(_ text: String) throws -> EpochMillis {
        let candidate = text.utf8.count == 10 ? text + "T00:00:00Z" : text
        do {
            return try RFC3339.parse(candidate)
        } catch {
            throw ValidationError("--start '\(text)' is not an RFC 3339 date or date-time: \(error.reason)")
        }
    }

    /// `1...14`, `1..14`, `1-14` or a single number.
    static func parseDelay(_ text: String) throws -> ClosedRange<Int> {
        // Every run of dots or a dash separates the two numbers.
        let parts = text.split(whereSeparator: { $0 == "." || $0 == "-" })
        let separated = text.contains(".") || text.contains("-")
        let numbers = parts.map { Int($0.filter { $0 != " " }) }
        guard (separated ? numbers.count == 2 : numbers.count == 1), let low = numbers.first!, let high = numbers.last! else {
            throw ValidationError("--fraud-report-delay-days '\(text)' must be MIN...MAX in whole days, e.g. 1...14")
        }
        guard low >= 0, low <= high, high <= 3_650 else {
            throw ValidationError("--fraud-report-delay-days '\(text)' needs 0 <= MIN <= MAX <= 3650")
        }
        return low...high
    }

    func makeConfiguration() throws -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            customers: customers, terminals: terminals, days: days, start: try Self.parseStart(start), seed: seed)
        configuration.currency = CurrencyCode(currency) ?? configuration.currency
        configuration.reportDelayDays = try Self.parseDelay(fraudReportDelayDays)
        configuration.terminalsPerMerchant = terminalsPerMerchant
        do {
            try configuration.validate()
        } catch {
            throw ValidationError("invalid simulation: \(error)")
        }
        return configuration
    }

    func run() async throws {
        let configuration = try makeConfiguration()
        if let bootstrap = kafka.bootstrap {
            try await runToKafka(configuration, bootstrap: bootstrap)
            return
        }
        let clock = ContinuousClock()
        let began = clock.now
        let writer = SimulationFileWriter(directory: out)
        var lastReport = began
        let quiet = self.quiet
        let totalDays = configuration.days
        let summary: SimulationSummary
        do {
            summary = try writer.write(configuration: configuration) { progress in
                guard !quiet, clock.now - lastReport > .seconds(2) else { return }
                lastReport = clock.now
                Self.printError("generate: day \(progress.days)/\(totalDays), \(progress.transactions) transactions")
            }
        } catch let error as FileIOError {
            Self.printError("generate: \(error)")
            throw ExitCode.failure
        }
        let elapsed = clock.now - began
        guard !quiet else { return }
        let seconds = elapsed.seconds
        let first = summary.firstTimestamp.map { String(RFC3339.format($0).prefix(10)) } ?? "-"
        let last = summary.lastTimestamp.map { String(RFC3339.format($0).prefix(10)) } ?? "-"
        print("generated \(summary.transactions) transactions over \(summary.days) days (\(first) to \(last)), seed \(configuration.seed), in \(Self.formatted(seconds, 2)) s")
        print("frauds: \(summary.frauds) (\(Self.formatted(summary.fraudRate * 100, 3))%): large_amount \(summary.frauds(.largeAmount)), compromised_terminal \(summary.frauds(.compromisedTerminal)), compromised_card \(summary.frauds(.compromisedCard))")
        print("labels: \(summary.frauds) fraud reports, \(configuration.reportDelayDays.lowerBound) to \(configuration.reportDelayDays.upperBound) days after the transaction")
        print("customers without a terminal in range: \(summary.customersWithoutTerminals)")
        print("wrote \(writer.path(SimulationFileWriter.FileName.transactions)), \(SimulationFileWriter.FileName.labels), \(SimulationFileWriter.FileName.truth), \(SimulationFileWriter.FileName.compromises), \(SimulationFileWriter.FileName.summary)")
    }
}

extension GenerateCommand {
    /// Kafka mode: the simulation to topics at a steady rate.
    func runToKafka(_ configuration: SimulatorConfiguration, bootstrap: String) async throws {
        var logger = Logger(label: "fraudstream.generate")
        logger.logLevel = .warning
        let properties = try kafka.properties
        let labels = labelsTopic == "none" ? nil : labelsTopic
        let admin = try KafkaAdminClient(
            configuration: KafkaConfiguration(bootstrapServers: bootstrap, clientID: "fraudstream-generate", properties: properties),
            logger: logger)
        do {
            try await admin.checkConnection(timeout: .seconds(10))
            try await admin.requireTopics([topic] + (labels.map { [$0] } ?? []), timeout: .seconds(10))
        } catch {
            throw CommandFailure("generate: Kafka at \(bootstrap): \(error)")
        }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: [bootstrap], clientID: "fraudstream-generate", linger: .milliseconds(5),
                deliveryReports: .errorsOnly, properties: properties),
            logger: logger)
        let failures = Task {
            var failed = 0
            for try await report in producer.deliveryReports where !report.isDelivered {
                failed += 1
                if failed <= 5 { Self.printError("generate: delivery failed: \(report.error.map { "\($0)" } ?? "unknown")") }
            }
            return failed
        }
        let feed = SimulatedFeed(
            stream: try SimulatedEventStream(configuration: configuration), producer: producer,
            configuration: SimulatedFeed.Configuration(
                transactionsTopic: topic, labelsTopic: labels, rate: rate, maxTransactions: limit))
        let signals = TerminationSignals()
        let stopper = Task {
            _ = await signals.wait()
            feed.stop()
        }
        defer { stopper.cancel() }
        let quiet = self.quiet
        let progressTask = Task {
            var last = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                guard !quiet, !Task.isCancelled else { return }
                let p = feed.progress
                let date = p.eventTime.map { String(RFC3339.format($0).prefix(16)) } ?? "-"
                Self.printError("generate: \(p.transactions) transactions (\((p.transactions - last) / 2)/s), \(p.labels) labels, event time \(date)")
                last = p.transactions
            }
        }
        defer { progressTask.cancel() }
        let began = ContinuousClock.now
        do {
            try await feed.run()
        } catch {
            throw CommandFailure("generate: \(error)")
        }
        do { try await producer.close(timeout: .seconds(30)) } catch {
            throw CommandFailure("generate: not every message was delivered: \(error)")
        }
        let failed = (try? await failures.value) ?? 0
        let p = feed.progress
        let elapsed = ContinuousClock.now - began
        let seconds = elapsed.seconds
        if !quiet {
            print("sent \(p.transactions) transactions (\(p.frauds) frauds) to \(topic) and \(p.labels) labels to \(labels ?? "nowhere") in \(Self.formatted(seconds, 1)) s (\(Int(Double(p.transactions) / max(seconds, 1e-9))) tx/s)")
        }
        if failed > 0 { throw CommandFailure("generate: \(failed) messages were not delivered") }
    }

/// `value` with `digits` decimals.
static func formatted(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
        text += "." + String(repeating: "0", count: digits)
    }
    return text
}

/// Writes a line to standard error.
static func printError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    bytes.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
}
}
