import FraudEngine
import FraudIO

/// Which transactions are frauds, from a labels file (`schemas/label.schema.json`).
///
/// The rule: a transaction is a fraud when its **last** label says `is_fraud: true`. Labels
/// are ordered by `reported_at`, file order among equal times, so a later
/// `is_fraud: false` (a chargeback withdrawn, a fraud report corrected) overrides an earlier
/// `true`, and the reverse. A label without `reported_at` is taken as reported at the time
/// of the label before it in the file (a topic dump is in report order). A transaction with
/// no label is legitimate (most feeds report only frauds). This is the rule of
/// `fraudstream evaluate`.
public struct FraudLabels: Sendable {
    /// Transaction id → verdict of its last label.
    public private(set) var verdicts: [String: Bool]
    /// Labels read.
    public private(set) var labelsRead: Int

    /// Applies the rule to labels (their array order is the file order).
    public init(_ labels: [Label]) {
        labelsRead = labels.count
        let ordered = labels.enumerated().sorted {
            $0.element.reportedAt != $1.element.reportedAt ? $0.element.reportedAt < $1.element.reportedAt : $0.offset < $1.offset
        }
        verdicts = [:]
        verdicts.reserveCapacity(labels.count)
        for (_, label) in ordered { verdicts[label.transactionID] = label.isFraud }
    }

    /// True when the transaction is a fraud by the rule above.
    @inlinable public func isFraud(_ transactionID: String) -> Bool { verdicts[transactionID] ?? false }

    /// Transactions whose last label says fraud.
    public var fraudCount: Int { verdicts.values.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Reads a labels file.
    ///
    /// - Throws: ``AnalysisError`` when the file cannot be read or a line does not decode.
    public static func read(path: String) throws(AnalysisError) -> FraudLabels {
        let decoder = LabelDecoder()
        var labels: [Label] = []
        var previous = EpochMillis.min
        do {
            let reader = try NDJSONFileReader(path: path)
            while let result = try reader.nextLine({ [previous] bytes in
                Result { () throws(DecodeError) -> Label in try decoder.decode(bytes, defaultReportedAt: previous) }
            }) {
                switch result {
                case .success(let label):
                    labels.append(label)
                    previous = label.reportedAt
                case .failure(let error):
                    throw AnalysisError.line(path, reader.lineNumber, error.message)
                }
            }
        } catch let error as AnalysisError {
            throw error
        } catch let error as FileIOError {
            throw AnalysisError("labels file \(error)")
        } catch {
            throw AnalysisError("labels file \(path): \(error)")
        }
        return FraudLabels(labels)
    }
}
