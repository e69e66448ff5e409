import FraudEngine
import FraudIO

/// The decisions of a decision log, one per transaction.
///
/// A log may hold the same transaction more than once (at-least-once delivery: a processor
/// that crashed after producing a decision and before committing its input decides it again
/// after the restart). The **last** record of a transaction id is kept, at the position of its
/// first; ``duplicatesDropped`` says how many were dropped.
public struct DecisionLog: Sendable {
    /// Where the records came from (a path, or a name for records built in code).
    public var source: String
    /// One record per transaction id.
    public private(set) var records: [AnalysedDecision]
    /// Records read, duplicates included.
    public private(set) var recordsRead: Int
    /// Records dropped because a later record had the same transaction id.
    public var duplicatesDropped: Int { recordsRead - records.count }

    /// Keeps the last record of each transaction id.
    public init(records all: [AnalysedDecision], source: String = "<decisions>") {
        self.source = source
        recordsRead = all.count
        var position: [String: Int] = [:]
        position.reserveCapacity(all.count)
        var kept: [AnalysedDecision] = []
        kept.reserveCapacity(all.count)
        for record in all {
            if let index = position[record.transactionID] {
                kept[index] = record
            } else {
                position[record.transactionID] = kept.count
                kept.append(record)
            }
        }
        records = kept
    }

    /// Reads a decision log (NDJSON; either format ``DecisionLineDecoder`` accepts).
    ///
    /// - Parameter role: How the file is named in errors, e.g. `decisions file`.
    /// - Throws: ``AnalysisError`` when the file cannot be read, a line does not decode
    ///   (`path:line: field: what`), or the file holds no record at all.
    public static func read(path: String, role: String = "decisions file") throws(AnalysisError) -> DecisionLog {
        let decoder = DecisionLineDecoder()
        var all: [AnalysedDecision] = []
        do {
            let reader = try NDJSONFileReader(path: path)
            all.reserveCapacity(reader.fileSize / 400 + 16)
            while let result = try reader.nextLine({ bytes in
                Result { () throws(AnalysisError) -> AnalysedDecision in try decoder.decode(bytes) }
            }) {
                switch result {
                case .success(let record): all.append(record)
                case .failure(let error): throw AnalysisError.line(path, reader.lineNumber, error.message)
                }
            }
        } catch let error as AnalysisError {
            throw error
        } catch let error as FileIOError {
            throw AnalysisError("\(role) \(error)")
        } catch {
            throw AnalysisError("\(role) \(path): \(error)")
        }
        guard !all.isEmpty else { throw AnalysisError("\(role) \(path): holds no decision records (empty)") }
        return DecisionLog(records: all, source: path)
    }

    /// Fills in the amount, currency, channel and country of records that lack them from a
    /// transactions file (NDJSON, `schemas/transaction.schema.json`), joined by transaction id.
    /// Fields a record already has are kept.
    ///
    /// - Returns: how many records were completed.
    /// - Throws: ``AnalysisError`` when the file cannot be read or a line does not decode.
    @discardableResult
    public mutating func complete(fromTransactionsAt path: String) throws(AnalysisError) -> Int {
        var wanted: [String: Int] = [:]
        for (index, record) in records.enumerated()
        where record.amount == nil || record.currency == nil || record.channel == nil || record.country == nil {
            wanted[record.transactionID] = index
        }
        guard !wanted.isEmpty else { return 0 }
        let decoder = TransactionDecoder()
        var completed = 0
        do {
            let reader = try NDJSONFileReader(path: path)
            while let result = try reader.nextLine({ bytes in
                Result { () throws(DecodeError) -> Transaction in try decoder.decode(bytes) }
            }) {
                let transaction: Transaction
                switch result {
                case .success(let decoded): transaction = decoded
                case .failure(let error): throw AnalysisError.line(path, reader.lineNumber, error.message)
                }
                guard let index = wanted.removeValue(forKey: transaction.transactionID) else { continue }
                records[index].amount = records[index].amount ?? transaction.amount
                records[index].currency = records[index].currency ?? transaction.currency.description
                records[index].channel = records[index].channel ?? transaction.channel
                records[index].country = records[index].country ?? transaction.country
                completed += 1
            }
        } catch let error as AnalysisError {
            throw error
        } catch let error as FileIOError {
            throw AnalysisError("transactions file \(error)")
        } catch {
            throw AnalysisError("transactions file \(path): \(error)")
        }
        return completed
    }
}
