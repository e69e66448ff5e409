import FraudIO
import FraudEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a simulation to a directory as NDJSON:
///
/// - `transactions.ndjson`: every transaction, by (timestamp, transaction_id).
/// - `labels.ndjson`: one fraud report per fraud (`is_fraud: true`), by (reported_at, transaction_id).
/// - `truth.ndjson`: one line per fraud with its scenario: `{"transaction_id", "card_id",
///   "terminal_id", "timestamp", "amount", "scenario" (large_amount | compromised_terminal |
///   compromised_card), "scenario_id" (1–3), "reported_at"}`, by transaction.
/// - `compromises.ndjson`: `{"kind": "terminal"|"card", "entity_id", "from", "until"}` per
///   compromise drawn, by day.
/// - `summary.json`: the configuration and the counts.
///
/// Transactions and labels are written with FraudEngine's `TransactionEncoder` and
/// `LabelEncoder`, so every line decodes with the project's decoders.
public struct SimulationFileWriter {
    /// File names inside the output directory.
    public enum FileName {
        public static let transactions = "transactions.ndjson"
        public static let labels = "labels.ndjson"
        public static let truth = "truth.ndjson"
        public static let compromises = "compromises.ndjson"
        public static let summary = "summary.json"
    }

    /// The output directory.
    public var directory: String

    /// A writer into `directory` (created if missing; existing files are replaced).
    public init(directory: String) {
        self.directory = directory
    }

    /// Runs the whole simulation into the directory and returns its summary.
    ///
    /// - Parameter progress: called after each simulated day with the summary so far.
    public func write(
        configuration: SimulatorConfiguration, progress: ((SimulationSummary) -> Void)? = nil
    ) throws -> SimulationSummary {
        try Self.makeDirectory(directory)
        let transactionsFile = try NDJSONFileWriter(path: path(FileName.transactions), flushSize: 4 << 20)
        let labelsFile = try NDJSONFileWriter(path: path(FileName.labels))
        let truthFile = try NDJSONFileWriter(path: path(FileName.truth))
        let compromisesFile = try NDJSONFileWriter(path: path(FileName.compromises))
        let transactionEncoder = TransactionEncoder()
        let labelEncoder = LabelEncoder()
        var stream = try SimulatedEventStream(configuration: configuration)
        var lastDay = -1
        var labels = 0
        while let event = stream.next() {
            switch event {
            case .transaction(let simulated):
                transactionEncoder.encode(simulated.transaction, into: &transactionsFile.buffer)
                try transactionsFile.endLine()
                if simulated.isFraud {
                    Self.appendTruth(simulated, to: &truthFile.buffer)
                    try truthFile.endLine()
                }
                if simulated.day != lastDay {
                    if lastDay >= 0 { progress?(stream.simulator.summary) }
                    lastDay = simulated.day
                }
            case .label(let label):
                labelEncoder.encode(label, into: &labelsFile.buffer)
                labels += 1
                try labelsFile.endLine()
            case .compromise(let compromise):
                Self.appendCompromise(compromise, to: &compromisesFile.buffer)
                try compromisesFile.endLine()
            }
        }
        try transactionsFile.close()
        try labelsFile.close()
        try truthFile.close()
        try compromisesFile.close()
        let summary = stream.simulator.summary
        progress?(summary)
        let summaryFile = try NDJSONFileWriter(path: path(FileName.summary))
        Self.appendSummary(summary, configuration: configuration, labels: labels, to: &summaryFile.buffer)
        try summaryFile.endLine()
        try summaryFile.close()
        return summary
    }

    /// The path of a file in the output directory.
    public func path(_ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func makeDirectory(_ path: String) throws(FileIOError) {
        var components: [Substring] = path.split(separator: "/", omittingEmptySubsequences: false)
        var current = ""
        while !components.isEmpty {
            let component = components.removeFirst()
            current += current.isEmpty && component.isEmpty ? "/" : (current.isEmpty || current == "/" ? "" : "/") + component
            if component.isEmpty || component == "." { continue }
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw FileIOError(path: current, reason: "cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw FileIOError(path: path, reason: "not a directory")
        }
    }

    static func appendTime(_ millis: EpochMillis, to out: inout [UInt8]) {
        out.append(0x22)
        RFC3339.append(millis, to: &out)
        out.append(0x22)
    }

    static func appendTruth(_ t: SimulatedTransaction, to out: inout [UInt8]) {
        out.append(0x7B)
        JSONText.appendKey("transaction_id", to: &out, first: true)
        JSONText.appendString(t.transaction.transactionID, to: &out)
        JSONText.appendKey("card_id", to: &out)
        JSONText.appendString(t.transaction.cardID, to: &out)
        JSONText.appendKey("terminal_id", to: &out)
        JSONText.appendString(t.transaction.terminalID ?? "", to: &out)
        JSONText.appendKey("timestamp", to: &out)
        appendTime(t.transaction.timestamp, to: &out)
        JSONText.appendKey("amount", to: &out)
        JSONText.appendRaw(t.transaction.amount.description, to: &out)
        JSONText.appendKey("scenario", to: &out)
        JSONText.appendString(t.scenario.name, to: &out)
        JSONText.appendKey("scenario_id", to: &out)
        JSONText.appendRaw(String(t.scenario.rawValue), to: &out)
        if let reportedAt = t.reportedAt {
            JSONText.appendKey("reported_at", to: &out)
            appendTime(reportedAt, to: &out)
        }
        out.append(0x7D)
    }

    static func appendCompromise(_ c: SimulatedCompromise, to out: inout [UInt8]) {
        out.append(0x7B)
        JSONText.appendKey("kind", to: &out, first: true)
        JSONText.appendString(c.kind.rawValue, to: &out)
        JSONText.appendKey("entity_id", to: &out)
        JSONText.appendString(c.entityID, to: &out)
        JSONText.appendKey("from", to: &out)
        appendTime(c.from, to: &out)
        JSONText.appendKey("until", to: &out)
        appendTime(c.until, to: &out)
        out.append(0x7D)
    }

    static func appendSummary(
        _ s: SimulationSummary, configuration c: SimulatorConfiguration, labels: Int, to out: inout [UInt8]
    ) {
        func number(_ key: String, _ value: String) {
            JSONText.appendKey(key, to: &out)
            JSONText.appendRaw(value, to: &out)
        }
        out.append(0x7B)
        JSONText.appendKey("generator", to: &out, first: true)
        JSONText.appendString("ulb-handbook-simulator", to: &out)
        number("seed", String(c.seed))
        number("customers", String(c.customers))
        number("terminals", String(c.terminals))
        number("days", String(c.days))
        JSONText.appendKey("start", to: &out)
        appendTime(c.start, to: &out)
        JSONText.appendKey("currency", to: &out)
        JSONText.appendString(c.currency.description, to: &out)
        number("report_delay_days_min", String(c.reportDelayDays.lowerBound))
        number("report_delay_days_max", String(c.reportDelayDays.upperBound))
        number("terminals_per_merchant", String(c.terminalsPerMerchant))
        number("transactions", String(s.transactions))
        number("frauds", String(s.frauds))
        number("fraud_rate", String(s.fraudRate))
        JSONText.appendKey("frauds_by_scenario", to: &out)
        out.append(0x7B)
        for scenario in FraudScenario.allCases where scenario != .none {
            JSONText.appendKey(scenario.name, to: &out, first: scenario == .largeAmount)
            JSONText.appendRaw(String(s.frauds(scenario)), to: &out)
        }
        out.append(0x7D)
        number("labels", String(labels))
        number("compromised_terminals", String(s.compromisedTerminals))
        number("compromised_cards", String(s.compromisedCards))
        number("customers_without_terminals", String(s.customersWithoutTerminals))
        number("total_amount", s.totalAmount.description)
        if let first = s.firstTimestamp {
            JSONText.appendKey("first_timestamp", to: &out)
            appendTime(first, to: &out)
        }
        if let last = s.lastTimestamp {
            JSONText.appendKey("last_timestamp", to: &out)
            appendTime(last, to: &out)
        }
        out.append(0x7D)
    }
}
