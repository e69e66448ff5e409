import FraudEngine
import FraudPipeline
import Foundation
import RdKafka

/// What the live processor should have decided: the produced messages in the processor's
/// merge order — (event time, labels before transactions, partition, offset) — through a
/// fresh engine. Keyed by transaction id.
func offlineDecisions(
    _ messages: [KafkaProducerMessage], reports: [UInt64: KafkaDeliveryReport], labelsTopic: String = "labels",
    configuration: EngineConfiguration
) throws -> [String: Decision] {
    struct Placed {
        var time: Int64
        var rank: UInt64
        var offset: Int64
        var message: KafkaProducerMessage
    }
    var placed: [Placed] = []
    for message in messages {
        guard let report = reports[message.id] else { throw TimeoutError(what: "no delivery report for message \(message.id)") }
        let isLabel = message.topic == labelsTopic
        let time = isLabel
            ? try LabelDecoder().decode(message.value!, defaultReportedAt: nil).reportedAt
            : try TransactionDecoder().decode(message.value!).timestamp
        let rank = (isLabel ? 0 : UInt64(1) << 32) | UInt64(UInt32(bitPattern: report.partition))
        placed.append(Placed(time: time, rank: rank, offset: report.offset, message: message))
    }
    placed.sort { ($0.time, $0.rank, $0.offset) < ($1.time, $1.rank, $1.offset) }
    let engine = Engine(configuration: configuration)
    var decisions: [String: Decision] = [:]
    for p in placed {
        if p.message.topic == labelsTopic {
            _ = engine.learn(try LabelDecoder().decode(p.message.value!, defaultReportedAt: nil))
        } else {
            let decision = try engine.score(try TransactionDecoder().decode(p.message.value!))
            decisions[decision.transactionID] = decision
        }
    }
    return decisions
}

/// Why a decision record differs from the expected decision (state version, or the score
/// as written: Foundation's JSON parser may round the last digit, so text is compared),
/// nil when it matches.
func decisionMismatch(_ record: Record, expected: Decision) -> String? {
    let json = record.json
    let stateVersion = (json["state_version"] as? NSNumber)?.uint64Value
    let text = String(decoding: record.value ?? [], as: UTF8.self)
    let score = text.firstMatch(of: #/"score":([0-9.eE+-]+)/#).map { String($0.1) }
    var written: [UInt8] = []
    JSONByteWriter.appendUnitInterval(expected.score, to: &written)
    let expectedScore = String(decoding: written, as: UTF8.self)
    guard stateVersion != expected.stateVersion || score != expectedScore else { return nil }
    return "\(expected.transactionID): live v\(stateVersion ?? 0) \(score ?? "-"), expected v\(expected.stateVersion) \(expectedScore)"
}

/// What an engine that never stopped decides when it sees the events in the order the live
/// processor's decision log says they were applied: by `state_version`, each decision's
/// `labels_before` labels and then its transaction at `source`. Labels applied after a run's
/// last decision are in no record (the next run's `labels_before` starts afresh); they fill
/// the gap in state versions before the next decision, in the labels topic's order (one
/// partition). Keyed by transaction id.
///
/// The merger's order across partitions depends on when each partition's messages arrive
/// (a burst after an idle spell is released as soon as the first partition's fetch arrives,
/// the others' cached watermarks not having moved yet), so a test of what a restore
/// preserves compares with the order that was actually used, not with the ideal one.
func offlineDecisions(
    loggedIn records: [Record], messages: [KafkaProducerMessage], reports: [UInt64: KafkaDeliveryReport],
    labelsTopic: String = "labels", configuration: EngineConfiguration
) throws -> [String: Decision] {
    func position(_ json: [String: Any]?) throws -> InputPosition {
        guard let json, let topic = json["topic"] as? String, let partition = json["partition"] as? Int,
            let offset = json["offset"] as? Int
        else { throw TimeoutError(what: "a decision record without a valid position: \(String(describing: json))") }
        return InputPosition(topic: topic, partition: Int32(partition), offset: Int64(offset))
    }
    var byPosition: [InputPosition: KafkaProducerMessage] = [:]
    for message in messages {
        guard let report = reports[message.id] else { throw TimeoutError(what: "no delivery report for message \(message.id)") }
        byPosition[InputPosition(topic: message.topic, partition: report.partition, offset: report.offset)] = message
    }
    let logged = try records.map { record -> (version: UInt64, labels: [InputPosition], source: InputPosition) in
        let json = record.json
        guard let version = (json["state_version"] as? NSNumber)?.uint64Value,
            let labels = json["labels_before"] as? [[String: Any]]
        else { throw TimeoutError(what: "a decision record without state_version or labels_before") }
        return (version, try labels.map { try position($0) }, try position(json["source"] as? [String: Any]))
    }.sorted { $0.version < $1.version }
    let loggedLabels = Set(logged.flatMap(\.labels))
    var unlogged = byPosition.keys.filter { $0.topic == labelsTopic && !loggedLabels.contains($0) }
        .sorted { $0.offset < $1.offset }[...]
    let engine = Engine(configuration: configuration)
    func learn(_ p: InputPosition) throws {
        guard let message = byPosition[p] else { throw TimeoutError(what: "no message at \(p)") }
        _ = engine.learn(try LabelDecoder().decode(message.value!, defaultReportedAt: nil))
    }
    var decisions: [String: Decision] = [:]
    for entry in logged {
        let before = entry.version - UInt64(entry.labels.count)
        while engine.statistics.eventsProcessed < before, let next = unlogged.popFirst() { try learn(next) }
        for label in entry.labels { try learn(label) }
        guard let message = byPosition[entry.source] else { throw TimeoutError(what: "no message at \(entry.source)") }
        let decision = try engine.score(try TransactionDecoder().decode(message.value!))
        decisions[decision.transactionID] = decision
    }
    return decisions
}
