import FraudIO
import ArgumentParser
import FraudEngine
import FraudSimulator

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
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
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
