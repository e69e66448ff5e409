import FraudIO
import FraudEngine

/// One step of a prequential run, in the order the scorer saw it.
public enum PrequentialEvent: Sendable {
    /// A label applied, with what the scorer did with it.
    case label(Label, LabelOutcome)
    /// A transaction scored.
    case decision(Transaction, Decision)
    /// A transaction the scorer refused.
    case rejected(Transaction, EngineError)
}

/// Progress of a long run.
public struct PrequentialProgress: Sendable {
    /// Transactions read so far.
    public var transactionsRead: Int
    /// Bytes of the transactions file consumed (0 for in-memory input).
    public var bytesConsumed: Int
    /// Size of the transactions file (0 when unknown).
    public var totalBytes: Int
}

/// A transaction line that does not decode.
public struct PrequentialInputError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Line number, from 1.
    public var line: Int
    /// The decoder's error.
    public var error: DecodeError

    /// `data/transactions.ndjson:12: amount: expected a number > 0, found -5 (byte 57)`.
    public var description: String { "\(path):\(line): \(error)" }
}

/// Prequential ("test, then train") evaluation of a scorer over a transaction stream and a
/// delayed label stream, in event time.
///
/// For each transaction at time `t`, in input order: first every label with
/// `reported_at <= t` not applied yet is applied (in `reported_at` order, file order for
/// ties), then the transaction is scored; the scorer learns from it only after scoring
/// it. So no transaction is scored with knowledge of its own label, and a label is never
/// used before its report time. Labels reported after the last transaction are applied
/// at the end.
///
/// Metrics (``PrequentialReport``) cover the scored transactions from the end of the
/// burn-in on, against the truth of the labels file: a transaction is a fraud when its last
/// label (by `reported_at`) says `is_fraud: true`, whenever that label arrived. Card
/// precision@k uses UTC days counted from the evaluation start, and breaks ties in score
/// by the order in which cards first appear after the burn-in.
///
/// Reusable for replay, audit and tuning: give it any ``PrequentialScorer`` and observe
/// every step through ``onEvent``.
public final class PrequentialRunner {
    /// The scorer, usually an ``Engine``.
    public let scorer: any PrequentialScorer
    /// Evaluation settings.
    public let configuration: PrequentialConfiguration
    /// Called for every label applied and every transaction scored or refused, in order.
    public var onEvent: ((PrequentialEvent) -> Void)?
    /// Called for every scored transaction with its decision, the alert flag
    /// (`score >= threshold`) and the eventual truth; may throw to stop the run
    /// (e.g. a failed write).
    public var onDecision: ((Transaction, Decision, _ alert: Bool, _ isFraud: Bool) throws -> Void)?
    /// Called every `progressInterval` transactions.
    public var onProgress: ((PrequentialProgress) -> Void)?

    /// A runner driving `scorer`.
    public init(scorer: any PrequentialScorer, configuration: PrequentialConfiguration = PrequentialConfiguration()) {
        self.scorer = scorer
        self.configuration = configuration
    }

    // MARK: - Inputs

    /// Reads every label of an NDJSON file.
    ///
    /// - Returns: the labels in file order and the number of lines skipped (with `skipInvalid`).
    /// - Throws: ``FileIOError`` or, without `skipInvalid`, ``PrequentialInputError`` for
    ///   the first line that does not decode.
    public static func readLabels(
        _ reader: NDJSONFileReader, skipInvalid: Bool
    ) throws -> (labels: [Label], invalidLines: Int) {
        let decoder = LabelDecoder()
        var labels: [Label] = []
        var invalid = 0
        while let result = try reader.nextLine({ bytes in Result { () throws(DecodeError) in try decoder.decode(bytes) } }) {
            switch result {
            case .success(let label): labels.append(label)
            case .failure(let error):
                guard skipInvalid else { throw PrequentialInputError(path: reader.path, line: reader.lineNumber, error: error) }
                invalid += 1
            }
        }
        return (labels, invalid)
    }

    // MARK: - Runs

    /// Runs over an NDJSON transactions file and labels already read.
    public func run(transactions reader: NDJSONFileReader, labels: [Label]) throws -> PrequentialReport {
        let decoder = TransactionDecoder()
        var invalid = 0
        let skipInvalid = configuration.skipInvalid
        var report = try run(labels: labels, bytes: { (reader.bytesConsumed, reader.fileSize) }) { () throws -> Transaction? in
            while true {
                let next = try reader.nextLine { bytes in Result { () throws(DecodeError) in try decoder.decode(bytes) } }
                switch next {
                case nil: return nil
                case .success(let transaction)?: return transaction
                case .failure(let error)?:
                    guard skipInvalid else {
                        throw PrequentialInputError(path: reader.path, line: reader.lineNumber, error: error)
                    }
                    invalid += 1
                }
            }
        }
        report.invalidTransactionLines = invalid
        return report
    }

    /// Runs over transactions in memory.
    public func run(transactions: [Transaction], labels: [Label]) throws -> PrequentialReport {
        var iterator = transactions.makeIterator()
        return try run(labels: labels, bytes: { (0, 0) }) { iterator.next() }
    }

    /// The driver: `nextTransaction` yields transactions in input order until nil.
    public func run(
        labels unsortedLabels: [Label], bytes: () -> (Int, Int) = { (0, 0) },
        nextTransaction: () throws -> Transaction?
    ) throws -> PrequentialReport {
        let clock = ContinuousClock()
        let began = clock.now
        var report = PrequentialReport()
        report.threshold = configuration.threshold
        report.labelsRead = unsortedLabels.count

        // Labels in report order (stable: file order for equal times), and the truth.
        let labels = unsortedLabels.enumerated().sorted {
            $0.element.reportedAt != $1.element.reportedAt ? $0.element.reportedAt < $1.element.reportedAt : $0.offset < $1.offset
        }.map(\.element)
        var truth: [String: Bool] = [:]
        truth.reserveCapacity(labels.count)
        for label in labels { truth[label.transactionID] = label.isFraud }

        var outcomes = [Int](repeating: 0, count: LabelOutcome.allCases.count)
        func apply(_ label: Label) {
            let outcome = scorer.learn(label)
            outcomes[LabelOutcome.allCases.firstIndex(of: outcome)!] += 1
            onEvent?(.label(label, outcome))
        }

        // Measured transactions.
        var scores: [Double] = []
        var probabilities: [Double] = []
        var anomalies: [Double] = []
        var isFraud: [Bool] = []
        var days: [Int] = []
        var cards: [Int] = []
        var cardNumbers: [String: Int] = [:]
        var confusion = ConfusionCounts()
        var evaluationStart: EpochMillis?
        var nextLabel = 0
        let threshold = configuration.threshold
        let interval = max(1, configuration.progressInterval)
        let dayMillis = CivilCalendar.millisPerDay

        while let transaction = try nextTransaction() {
            report.transactionsRead += 1
            let t = transaction.timestamp
            if evaluationStart == nil {
                report.firstTransactionTime = t
                let firstDay = t >= 0 ? t / dayMillis : (t - dayMillis + 1) / dayMillis
                evaluationStart = (firstDay + Int64(configuration.burnInDays)) * dayMillis
            }
            report.lastTransactionTime = t
            while nextLabel < labels.count && labels[nextLabel].reportedAt <= t {
                apply(labels[nextLabel])
                nextLabel += 1
            }
            let decision: Decision
            do {
                decision = try scorer.score(transaction)
            } catch {
                report.transactionsRejected[error.reasonCode, default: 0] += 1
                onEvent?(.rejected(transaction, error))
                continue
            }
            report.transactionsScored += 1
            onEvent?(.decision(transaction, decision))
            let fraud = truth[transaction.transactionID] ?? false
            let alert = decision.score >= threshold
            if t >= evaluationStart! {
                scores.append(decision.score)
                probabilities.append(decision.modelProbability)
                anomalies.append(decision.anomaly)
                isFraud.append(fraud)
                days.append(Int((t - evaluationStart!) / dayMillis))
                if let card = cardNumbers[transaction.cardID] {
                    cards.append(card)
                } else {
                    cards.append(cardNumbers.count)
                    cardNumbers[transaction.cardID] = cardNumbers.count
                }
                confusion.add(alert: alert, isFraud: fraud)
            }
            try onDecision?(transaction, decision, alert, fraud)
            if report.transactionsRead % interval == 0, let onProgress {
                let (consumed, total) = bytes()
                onProgress(PrequentialProgress(transactionsRead: report.transactionsRead, bytesConsumed: consumed, totalBytes: total))
            }
        }
        report.labelsAppliedDuringRun = nextLabel
        while nextLabel < labels.count {
            apply(labels[nextLabel])
            nextLabel += 1
        }
        report.labelsAppliedAfterRun = labels.count - report.labelsAppliedDuringRun
        for (index, outcome) in LabelOutcome.allCases.enumerated() where outcomes[index] > 0 {
            report.labelOutcomes[outcome.name] = outcomes[index]
        }

        // Metrics.
        report.evaluationStart = evaluationStart
        report.evaluatedTransactions = scores.count
        report.evaluatedFrauds = isFraud.reduce(0) { $0 + ($1 ? 1 : 0) }
        report.rocAUC = ROCAUC.compute(scores: scores, labels: isFraud)
        report.averagePrecision = AveragePrecision.compute(scores: scores, labels: isFraud)
        report.modelROCAUC = ROCAUC.compute(scores: probabilities, labels: isFraud)
        report.anomalyROCAUC = ROCAUC.compute(scores: anomalies, labels: isFraud)
        if !scores.isEmpty {
            let cardPrecision = CardPrecisionAtK(
                days: days, cards: cards, scores: scores, labels: isFraud, k: max(1, configuration.cardPrecisionK),
                excludeKnownCompromised: configuration.excludeKnownCompromisedCards)
            report.cardPrecision = cardPrecision
            report.evaluatedDays = cardPrecision.days.count
        }
        report.confusion = confusion
        let elapsed = clock.now - began
        report.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let onProgress {
            let (consumed, total) = bytes()
            onProgress(PrequentialProgress(transactionsRead: report.transactionsRead, bytesConsumed: consumed, totalBytes: total))
        }
        return report
    }
}
