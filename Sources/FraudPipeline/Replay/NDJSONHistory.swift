import Foundation
import FraudEngine
import FraudIO

/// A history from NDJSON files, in the order the live processor and `evaluate` apply it:
/// transactions in file order; before each transaction, every label reported at or before
/// its event time (labels by `reported_at`, file order among equal times).
///
/// Positions: the file's absolute path as `topic`, partition 0, the line number (from 1)
/// as `offset`.
/// Lines that do not decode become ``HistoryEvent/rejected(_:reason:)`` events (for labels:
/// reported before the first transaction), never a stop.
public final class NDJSONHistory {
    private let transactions: NDJSONFileReader
    private let decoder = TransactionDecoder()
    private var labels: [(label: Label, position: InputPosition)]
    private var rejectedLabels: [HistoryEvent]
    private var nextLabel = 0
    private var pending: HistoryEvent?
    /// Labels left when the transactions ended (not applied: no decision follows them).
    public var labelsAfterLastTransaction: Int { labels.count - nextLabel }
    /// Bytes of the transactions file consumed, and its size (for progress).
    public var progress: (consumed: Int, total: Int) { (transactions.bytesConsumed, transactions.fileSize) }

    /// Opens the files; the labels file (if any) is read whole.
    /// - Throws: ``FraudIO/FileIOError`` naming the file.
    public init(transactionsPath: String, labelsPath: String?) throws {
        transactions = try NDJSONFileReader(path: URL(fileURLWithPath: transactionsPath).standardizedFileURL.path)
        var labels: [(label: Label, position: InputPosition)] = []
        var rejected: [HistoryEvent] = []
        if let labelsPath {
            let reader = try NDJSONFileReader(path: URL(fileURLWithPath: labelsPath).standardizedFileURL.path)
            let labelDecoder = LabelDecoder()
            while let result = try reader.nextLine({ bytes in Result { () throws(DecodeError) in try labelDecoder.decode(bytes) } }) {
                let position = InputPosition(topic: reader.path, partition: 0, offset: Int64(reader.lineNumber))
                switch result {
                case .success(let label): labels.append((label, position))
                case .failure(let error): rejected.append(.rejected(position, reason: "\(error)"))
                }
            }
            rejected.reverse()  // popped from the end: first line first
        }
        // Stable: file order among equal report times.
        self.labels = labels.enumerated().sorted {
            $0.element.label.reportedAt != $1.element.label.reportedAt
                ? $0.element.label.reportedAt < $1.element.label.reportedAt : $0.offset < $1.offset
        }.map(\.element)
        rejectedLabels = rejected
    }

    /// The next event, nil at the end of the transactions.
    /// - Throws: ``FraudIO/FileIOError`` when reading fails.
    public func next() throws -> HistoryEvent? {
        if let event = rejectedLabels.popLast() { return event }
        if pending == nil {
            let decoded = try transactions.nextLine { bytes in
                Result { () throws(DecodeError) in try decoder.decode(bytes) }
            }
            let position = InputPosition(topic: transactions.path, partition: 0, offset: Int64(transactions.lineNumber))
            switch decoded {
            case nil: return nil
            case .failure(let error)?: return .rejected(position, reason: "\(error)")
            case .success(let transaction)?: pending = .transaction(transaction, position)
            }
        }
        if case .transaction(let transaction, _)? = pending, nextLabel < labels.count,
            labels[nextLabel].label.reportedAt <= transaction.timestamp
        {
            defer { nextLabel += 1 }
            return .label(labels[nextLabel].label, labels[nextLabel].position)
        }
        defer { pending = nil }
        return pending
    }

    /// Appends the next events to `batch` until it holds at least `limit` (the labels due
    /// before a transaction go in with it), or the transactions end; appends nothing at
    /// the end. The same events, in the same order, as calls of ``next()``.
    /// - Throws: ``FraudIO/FileIOError`` when reading fails.
    public func fill(_ batch: HistoryBatch, limit: Int) throws {
        while let event = rejectedLabels.popLast() { batch.append(event) }
        while pending != nil, let event = try next() { batch.append(event) }  // after mixed use of next()
        let path = transactions.path
        while batch.count < limit {
            let read: Void? = try transactions.nextLine { bytes in
                let position = InputPosition(topic: path, partition: 0, offset: Int64(transactions.lineNumber))
                do throws(DecodeError) {
                    let transaction = try decoder.decode(bytes)
                    while nextLabel < labels.count, labels[nextLabel].label.reportedAt <= transaction.timestamp {
                        batch.append(labels[nextLabel].label, at: labels[nextLabel].position)
                        nextLabel += 1
                    }
                    batch.append(transaction, at: position)
                } catch {
                    batch.appendRejected(at: position, reason: "\(error)")
                }
            }
            if read == nil { return }
        }
    }
}
