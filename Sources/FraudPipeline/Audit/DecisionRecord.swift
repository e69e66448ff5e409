import Foundation

/// A decision record as read back from a decision log (schemas/decision.schema.json), with
/// its exact bytes: an audit compares a re-derived record with these byte for byte.
public struct DecisionRecord: Sendable, Decodable {
    /// One reason code.
    public struct Reason: Sendable, Decodable, Equatable {
        public var code: String
        public var contribution: Double
    }

    public var transactionID: String
    public var cardID: String
    /// RFC 3339 text, as written.
    public var eventTime: String
    public var source: InputPosition
    /// Empty for records written before runs were recorded.
    public var run: String
    public var stateVersion: UInt64
    /// Nil for records written before labels were recorded.
    public var labelsBefore: [InputPosition]?
    public var modelVersion: String
    public var rulesVersion: String
    public var score: Double
    public var action: String?
    public var ruleIDs: [String]
    public var reasons: [Reason]
    /// RFC 3339 text, as written.
    public var processedAt: String
    /// The record's bytes as read (one NDJSON line or one Kafka message value).
    public var bytes: [UInt8] = []
    /// Where the record itself was read, e.g. `decisions.ndjson:12` or `decisions[3]@88`.
    public var location: String = ""

    enum CodingKeys: String, CodingKey {
        case transactionID = "transaction_id", cardID = "card_id", eventTime = "event_time", source, run
        case stateVersion = "state_version", labelsBefore = "labels_before", modelVersion = "model_version"
        case rulesVersion = "rules_version", score, action, ruleIDs = "rule_ids", reasons
        case processedAt = "processed_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transactionID = try c.decode(String.self, forKey: .transactionID)
        cardID = try c.decode(String.self, forKey: .cardID)
        eventTime = try c.decode(String.self, forKey: .eventTime)
        source = try c.decode(InputPosition.self, forKey: .source)
        run = try c.decodeIfPresent(String.self, forKey: .run) ?? ""
        stateVersion = try c.decode(UInt64.self, forKey: .stateVersion)
        labelsBefore = try c.decodeIfPresent([InputPosition].self, forKey: .labelsBefore)
        modelVersion = try c.decode(String.self, forKey: .modelVersion)
        rulesVersion = try c.decode(String.self, forKey: .rulesVersion)
        score = try c.decode(Double.self, forKey: .score)
        action = try c.decodeIfPresent(String.self, forKey: .action)
        ruleIDs = try c.decode([String].self, forKey: .ruleIDs)
        reasons = try c.decode([Reason].self, forKey: .reasons)
        processedAt = try c.decode(String.self, forKey: .processedAt)
    }

    /// Decodes one record from its JSON bytes.
    /// - Throws: `DecodingError` naming the missing or mistyped field.
    public static func decode(_ bytes: [UInt8], location: String) throws -> DecisionRecord {
        var record = try JSONDecoder().decode(DecisionRecord.self, from: Data(bytes))
        record.bytes = bytes
        record.location = location
        return record
    }
}

extension InputPosition: Decodable {
    enum CodingKeys: String, CodingKey { case topic, partition, offset }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            topic: try c.decode(String.self, forKey: .topic), partition: try c.decode(Int32.self, forKey: .partition),
            offset: try c.decode(Int64.self, forKey: .offset))
    }
}
