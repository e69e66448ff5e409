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
