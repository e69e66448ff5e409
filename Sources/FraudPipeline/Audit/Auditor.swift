import FraudEngine
import FraudRules
import Foundation

/// Re-derives recorded decisions from the decision log and the checkpoint that precedes
/// them, and compares them with what was recorded, byte for byte.
///
/// For each run (``ProcessorRun``) with selected decisions:
/// 1. the base: the newest retained checkpoint of that run at or before the first selected
///    decision's state version, else the checkpoint the run restored at its start (its
///    manifest's origin), else, for a run that started from an empty engine (its manifest
///    says so, or its log reaches back to state version 0, as a file replay's does), an
///    empty engine of the given configuration (its model version must match the records');
/// 2. the events from the base to the last selected decision, in state-version order: each
///    record's `labels_before`, then its transaction; a gap in the versions (a lost record)
///    is an error, never a silently different history;
/// 3. those inputs read back at their recorded positions (``HistoryFetcher``) and decoded
///    exactly as the live processor decoded them;
/// 4. the engine driven over them by a ``ReplayCore`` writing the run's id and each record's
///    `processed_at`, with the rules of each record's `rules_version`: a reproduced decision
///    re-encodes to the recorded bytes exactly.
///
/// Decisions between the base and the selection are re-derived and compared too (a
/// difference there means the state had already diverged), and reported as such.
public final class Auditor {
    private let records: [DecisionRecord]
    private let checkpointDirectory: String?
    private let engineConfiguration: EngineConfiguration
    private let rules: [String: RuleSet]
    private let fetcher: any HistoryFetcher
    private let limits: DecoderLimits
    private let note: (String) -> Void
    /// Called now and then while re-deriving: events applied so far and in all (of the
    /// runs audited so far).
    public var onProgress: ((_ applied: Int, _ total: Int) -> Void)?
    private var applied = 0
    private var planned = 0

    /// - Parameters:
    ///   - records: the decision log (any order; every run's records that the audit needs).
    ///   - checkpointDirectory: where the live runs wrote checkpoints and run manifests.
    ///   - engineConfiguration: the live engine configuration, for runs that started empty.
    ///   - rules: rule sets by version (the built-in rules are always known).
    ///   - limits: the live processor's decoder limits.
    ///   - note: progress and warnings for people.
    public init(
        records: [DecisionRecord], checkpointDirectory: String?, engineConfiguration: EngineConfiguration,
        rules: [RuleSet], fetcher: any HistoryFetcher, limits: DecoderLimits = .default,
        note: @escaping (String) -> Void = { _ in }
    ) {
        self.records = records
        self.checkpointDirectory = checkpointDirectory
        self.engineConfiguration = engineConfiguration
        var byVersion: [String: RuleSet] = [RuleSet.builtIn.version: .builtIn]
        for set in rules { byVersion[set.version] = set }
        self.rules = byVersion
        self.fetcher = fetcher
        self.limits = limits
        self.note = note
    }

    /// Audits the selected decisions.
    /// - Throws: ``AuditError`` naming what is missing or inconsistent.
    public func audit(_ selection: AuditSelection) async throws -> AuditReport {
        let selected = try select(selection)
        var report = AuditReport()
        for (run, chosen) in Dictionary(grouping: selected, by: \.run).sorted(by: { $0.key < $1.key }) {
            let (entries, summary) = try await audit(run: run, selected: chosen)
            report.entries += entries
            report.runs.append(summary)
        }
        report.entries.sort { ($0.recorded.eventTime, $0.recorded.transactionID) < ($1.recorded.eventTime, $1.recorded.transactionID) }
        return report
    }

    private func select(_ selection: AuditSelection) throws -> [DecisionRecord] {
        let chosen: [DecisionRecord]
        switch selection {
        case .transaction(let id):
            chosen = records.filter { $0.transactionID == id }
            guard !chosen.isEmpty else {
                throw AuditError("transaction \(id) is not in the decision log (\(records.count) records read\(span))")
            }
        case .eventTime(let from, let to):
            guard from < to else {
                throw AuditError("the time range is reversed or empty: from \(RFC3339.format(from)) is not before to \(RFC3339.format(to))")
            }
            chosen = records.filter {
                guard let t = try? RFC3339.parse($0.eventTime) else { return false }
                return t >= from && t < to
            }
            guard !chosen.isEmpty else {
                throw AuditError(
                    "no decision in the log has an event time from \(RFC3339.format(from)) to \(RFC3339.format(to)) (\(records.count) records read\(span))")
            }
        }
        if let old = chosen.first(where: { $0.run.isEmpty || $0.labelsBefore == nil }) {
            throw AuditError(
                "\(old.location): the record has no run or labels_before (written before they were recorded): the order of the events before it is unknown, so it cannot be audited")
        }
        return chosen
    }

    private var span: String {
        let times = records.map(\.eventTime)
        guard let first = times.min(), let last = times.max() else { return "" }
        return ", event times \(first) to \(last)"
    }

    // MARK: - One run

    private enum Step {
        case label(InputPosition)
        case transaction(DecisionRecord)
    }

    private func audit(run: String, selected: [DecisionRecord]) async throws -> ([AuditEntry], AuditReport.RunSummary) {
        // The run's records, one per state version.
        var byVersion: [UInt64: DecisionRecord] = [:]
        for record in records where record.run == run {
            if let other = byVersion[record.stateVersion], other.bytes != record.bytes {
                throw AuditError(
                    "run \(run) has two different records at state version \(record.stateVersion): \(other.location) and \(record.location)")
            }
            byVersion[record.stateVersion] = record
        }
        let first = selected.map(\.stateVersion).min()!
        let last = selected.map(\.stateVersion).max()!
        // A run whose log reaches back to state version 0 is known from an empty engine on.
        let lowest = byVersion.keys.min().flatMap { byVersion[$0] }
        let reachesZero = lowest.flatMap { record in record.labelsBefore.map { UInt64($0.count) == record.stateVersion } }
            ?? false
        let (engine, base, baseText) = try startingEngine(
            run: run, firstVersion: first, sample: selected[0], reachesZero: reachesZero)
        note("run \(run): from \(baseText), replaying state versions \(base) to \(last)")

        // The events from the base to the last selected decision.
        var steps: [Step] = []
        // Labels the base checkpoint already includes but the next record lists: applied
        // before the base, still part of that record's labels_before.
        var appliedBeforeBase: [InputPosition] = []
        var expected = base
        for version in byVersion.keys.sorted() where version >= base && version <= last {
            let record = byVersion[version]!
            guard let labels = record.labelsBefore else {
                throw AuditError("\(record.location): no labels_before (written before labels were recorded): the events before it are unknown")
            }
            guard UInt64(labels.count) <= version else {
                throw AuditError("\(record.location): \(labels.count) labels_before at state version \(version) is impossible")
            }
            let firstLabel = version - UInt64(labels.count)
            for (i, position) in labels.enumerated() {
                guard firstLabel + UInt64(i) >= base else {
                    appliedBeforeBase.append(position)
                    continue
                }
                try checkNext(firstLabel + UInt64(i), expected: &expected, run: run)
                steps.append(.label(position))
            }
            try checkNext(version, expected: &expected, run: run)
            steps.append(.transaction(record))
        }

        // Read the inputs back.
        var positions: [InputPosition] = []
        for step in steps {
            switch step {
            case .label(let p): positions.append(p)
            case .transaction(let r): positions.append(r.source)
            }
        }
        let inputs = try await fetcher.fetch(positions)
        if let missing = positions.first(where: { inputs[$0] == nil }) {
            let count = positions.filter { inputs[$0] == nil }.count
            throw AuditError(
                "cannot read the input at \(missing)\(count > 1 ? " (and \(count - 1) more)" : "") (deleted by retention, or another cluster?)")
        }

        // Replay and compare.
        let selectedVersions = Set(selected.map(\.stateVersion))
        let core = ReplayCore(engine: engine, rules: .builtIn, run: run, labelsAlreadyApplied: appliedBeforeBase)
        let transactionDecoder = TransactionDecoder(limits: limits)
        let labelDecoder = LabelDecoder(limits: limits)
        var entries: [AuditEntry] = []
        var summary = AuditReport.RunSummary(run: run, base: baseText, firstVersion: base, lastVersion: last)
        planned += steps.count
        for step in steps {
            applied += 1
            if applied & 0x3FFF == 0 { onProgress?(applied, planned) }
            switch step {
            case .label(let position):
                let input = inputs[position]!
                let label: Label
                do {
                    label = try labelDecoder.decode(input.bytes, defaultReportedAt: input.timestamp)
                } catch {
                    throw AuditError("\(position): the label the run applied no longer decodes: \(error)")
                }
                core.apply(.label(label, position), processedAt: 0)
                summary.labelsApplied += 1
            case .transaction(let record):
                let input = inputs[record.source]!
                guard let rules = rules[record.rulesVersion] else {
                    let needed = Set(byVersion.values.map(\.rulesVersion)).subtracting(rules.keys).sorted()
                    throw AuditError(
                        "\(record.location): decided with rules version \(record.rulesVersion); give the rules file(s) of version \(needed.joined(separator: ", ")) with --rules-file")
                }
                core.rules = rules
                let entry = try rederive(record, input: input, core: core, decoder: transactionDecoder)
                if selectedVersions.contains(record.stateVersion) {
                    entries.append(entry)
                } else {
                    summary.precedingChecked += 1
                    if !entry.matches { summary.precedingMismatches += 1 }
                }
            }
        }
        onProgress?(applied, planned)
        return (entries, summary)
    }

    private func checkNext(_ version: UInt64, expected: inout UInt64, run: String) throws {
        guard version == expected else {
            throw AuditError(
                version > expected
                    ? "the decision log of run \(run) has a gap: no record covers state versions \(expected) to \(version - 1) (lost records, or a log read only in part?)"
                    : "the decision log of run \(run) is inconsistent at state version \(version)")
        }
        expected += 1
    }

    private func rederive(
        _ record: DecisionRecord, input: FetchedInput, core: ReplayCore, decoder: TransactionDecoder
    ) throws -> AuditEntry {
        let transaction: Transaction
        do {
            transaction = try decoder.decode(input.bytes)
        } catch {
            throw AuditError("\(record.source): the transaction the run scored no longer decodes: \(error)")
        }
        guard transaction.transactionID == record.transactionID else {
            throw AuditError(
                "\(record.source) holds transaction \(transaction.transactionID), but \(record.location) says \(record.transactionID)")
        }
        let processedAt: Int64
        do {
            processedAt = try RFC3339.parse(record.processedAt)
        } catch {
            throw AuditError("\(record.location): processed_at \(record.processedAt) is not a timestamp: \(error)")
        }
        switch core.apply(.transaction(transaction, record.source), processedAt: processedAt) {
        case .decided:
            let replayed = core.record
            if replayed == record.bytes { return AuditEntry(recorded: record, replayed: replayed, differences: []) }
            return AuditEntry(recorded: record, replayed: replayed, differences: AuditEntry.differences(record.bytes, replayed))
        case .refused(let error):
            return AuditEntry(recorded: record, replayed: nil, differences: ["the replayed engine refused the transaction: \(error)"])
        case .learned, .rejected:
            return AuditEntry(recorded: record, replayed: nil, differences: ["not re-derived"])
        }
    }

    /// The engine at the base of `run`'s audit, the base's state version and a description.
    private func startingEngine(run: String, firstVersion: UInt64, sample: DecisionRecord, reachesZero: Bool) throws
        -> (Engine, UInt64, String)
    {
        var origin: ProcessorRun.Origin??  // nil: no manifest; .some(nil): started empty
        var skipped: [String] = []
        var originUnusable: String?
        if let directory = checkpointDirectory {
            let manifests = ProcessorRun.loadManifests(in: directory)
            skipped += manifests.problems
            if let manifest = manifests.runs.first(where: { $0.id == run }) { origin = .some(manifest.origin) }
            let store = CheckpointStore(directory: directory)
            let entries = (try? store.entries()) ?? []
            for entry in entries.sorted(by: { $0.sequence > $1.sequence }) {
                guard case .success(let checkpoint) = entry.checkpoint else {
                    if case .failure(let error) = entry.checkpoint { skipped.append("\(entry.path): \(error)") }
                    continue
                }
                let ownUsable = checkpoint.run == run && checkpoint.stateVersion <= firstVersion
                let isOrigin =
                    origin??.sequence == checkpoint.sequence && origin??.run == checkpoint.run
                    && origin??.stateVersion == checkpoint.stateVersion
                guard ownUsable || isOrigin else { continue }
                let engine: Engine
                do {
                    engine = try store.restoreEngine(checkpoint)
                } catch {
                    skipped.append("\(entry.path): the engine state does not restore: \(error)")
                    if isOrigin { originUnusable = "\(entry.path): the engine state does not restore: \(error)" }
                    continue
                }
                for problem in skipped { note("skipped \(problem)") }
                return (
                    engine, checkpoint.stateVersion,
                    "checkpoint \(entry.path) (sequence \(checkpoint.sequence), state version \(checkpoint.stateVersion))"
                )
            }
        }
        for problem in skipped { note("skipped \(problem)") }
        if origin == nil && reachesZero { origin = .some(nil) }  // no manifest, but the log starts at 0
        switch origin {
        case .some(.none):
            let engine = Engine(configuration: engineConfiguration)
            let prefix = ModelVersion(configuration: engineConfiguration).prefix
            guard sample.modelVersion.hasPrefix(prefix + "-v") else {
                throw AuditError(
                    "run \(run) started from an empty engine with model \(sample.modelVersion.split(separator: "-").prefix(2).joined(separator: "-")), but the configuration given makes \(prefix): pass the live configuration (--config)")
            }
            return (engine, 0, "an empty engine (the run started from scratch)")
        case .some(.some(let o)):
            if let originUnusable {
                throw AuditError("run \(run) started from checkpoint \(o.sequence), which cannot be used: \(originUnusable)")
            }
            throw AuditError(
                "run \(run) started from checkpoint \(o.sequence) (state version \(o.stateVersion)), which is no longer retained in \(checkpointDirectory!), and no later checkpoint of the run precedes state version \(firstVersion)")
        case .none:
            if checkpointDirectory == nil {
                throw AuditError("no checkpoint directory given (--checkpoint-dir): where did run \(run) start?")
            }
            throw AuditError(
                "no manifest of run \(run) in \(ProcessorRun.manifestDirectory(in: checkpointDirectory!)) and no retained checkpoint of it at or before state version \(firstVersion)")
        }
    }
}

/// Which decisions to audit.
public enum AuditSelection: Sendable {
    /// Every record of one transaction (several after an at-least-once redelivery).
    case transaction(String)
    /// Records with an event time in `from..<to` (Unix milliseconds).
    case eventTime(from: Int64, to: Int64)
}

/// An audit's failure to run (not a mismatch): what is missing or inconsistent.
public struct AuditError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
