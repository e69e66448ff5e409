import FraudEngine
import FraudPipeline
import FraudRules
import FraudSimulator
import Foundation
import RdKafka
import Testing

/// An audit whose base checkpoint was written between a decision's `labels_before` labels
/// and its transaction (a chunk may end on a label): the labels before the checkpoint are in
/// its state, yet the re-derived record must still list them, byte for byte.
@Suite struct AuditCheckpointBoundaryTests {
    @Test func aCheckpointBetweenLabelsAndTheirDecisionStillReproducesIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boundary-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SimulationFileWriter(directory: directory).write(
            configuration: SimulatorConfiguration(customers: 150, terminals: 300, days: 25, seed: 8))
        let history = try NDJSONHistory(
            transactionsPath: directory + "/transactions.ndjson", labelsPath: directory + "/labels.ndjson")

        let run = "replay-boundary"
        let core = ReplayCore(engine: Engine(configuration: .default), rules: .builtIn, run: run)
        let store = CheckpointStore(directory: directory + "/ckpt", keep: 5)
        var records: [DecisionRecord] = []
        var labelsSeen = 0
        var checkpointVersion: UInt64?
        var line = 0
        while let event = try history.next() {
            let outcome = core.apply(event, processedAt: 1_790_000_000_000)
            if case .decided = outcome {
                line += 1
                records.append(try DecisionRecord.decode(core.record, location: "log:\(line)"))
            }
            // Right after the 10th label: the next decision lists labels from before this point.
            if case .label = event {
                labelsSeen += 1
                if labelsSeen == 10 {
                    let version = core.engine.statistics.eventsProcessed
                    checkpointVersion = version
                    _ = try store.write(ProcessorCheckpoint(
                        sequence: 1, createdAt: 0, groupID: "g", stateVersion: version, eventTime: core.engine.currentTime,
                        modelVersion: core.modelVersion.prefix, run: run, offsets: [:],
                        engineState: core.engine.checkpoint()))
                }
            }
        }
        let base = try #require(checkpointVersion)
        let next = try #require(records.first { $0.stateVersion >= base })
        #expect(UInt64(next.labelsBefore?.count ?? 0) > next.stateVersion - base, "the next decision lists labels applied before the checkpoint")

        let auditor = Auditor(
            records: records, checkpointDirectory: directory + "/ckpt", engineConfiguration: .default, rules: [],
            fetcher: FileHistoryFetcher())
        let one = try await auditor.audit(.transaction(next.transactionID))
        #expect(one.runs.first?.firstVersion == base, "audited from the checkpoint: \(one.runs.first?.base ?? "")")
        #expect(one.mismatches == 0, "\(one.entries.first?.differences ?? [])")
        let later = try #require(records.first { $0.stateVersion > base + 50 })
        let two = try await auditor.audit(.transaction(later.transactionID))
        #expect(two.mismatches == 0 && two.runs.first?.precedingMismatches == 0, "\(two.runs)")
    }
}
