import FraudEngine
import FraudIO
import FraudPipeline
import RdKafka
import Foundation

/// `replay` from NDJSON files to a file, on two dedicated threads (``ParallelReplay``):
/// this job's thread reads, decodes, encodes and writes; the engine has the other.
final class FileReplayJob: @unchecked Sendable {
    private let history: NDJSONHistory
    private let core: ReplayCore
    private let writer: NDJSONFileWriter
    private let records: DecisionRecordWriter
    private let processedAt: Int64
    private let progress: ProgressPrinter?
    /// Events read.
    private(set) var events = 0
    /// CPU seconds of the two threads.
    private(set) var threadTimes: ParallelReplay.ThreadTimes?
    private var shownProblems = 0
    private var decisions = 0

    init(history: NDJSONHistory, core: ReplayCore, writer: NDJSONFileWriter, processedAt: Int64, progress: ProgressPrinter?) {
        self.history = history
        self.core = core
        self.writer = writer
        records = DecisionRecordWriter(of: core)
        self.processedAt = processedAt
        self.progress = progress
    }

    /// Runs on a new thread (never the cooperative pool) and returns when it is done.
    func runOnThread() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread { [self] in
                ThreadName.setCurrent("fs-replay-io")
                do {
                    try run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    private func run() throws {
        threadTimes = try ParallelReplay.run(
            core: core,
            fill: { [self] batch, limit in
                try history.fill(batch, limit: limit)
                events += batch.count
            },
            handle: { [self] batch in
                for entry in batch.entries {
                    switch entry {
                    case .transaction(let i):
                        if records.encode(batch, transaction: i, processedAt: processedAt, into: &writer.buffer) {
                            try writer.endLine()
                            decisions += 1
                            if decisions & 0x7FFF == 0, let progress {
                                let (consumed, total) = history.progress
                                progress.report(done: decisions, consumed: consumed, total: total)
                            }
                        } else if case .refused(let error) = batch.results[i] {
                            let position = batch.positions[i]
                            note("\(position.topic):\(position.offset): \(batch.transactions[i].transactionID) refused: \(error)")
                        }
                    case .rejected(let i):
                        let (position, reason) = batch.rejections[i]
                        note("\(position.topic):\(position.offset): skipped: \(reason)")
                    case .label:
                        break
                    }
                }
            })
    }

    private func note(_ text: String) {
        guard shownProblems < 5 else { return }
        shownProblems += 1
        GenerateCommand.printError("replay: " + text)
    }
}
