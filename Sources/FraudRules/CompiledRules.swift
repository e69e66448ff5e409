import FraudEngine

/// A set of short strings: a linear scan of a few (cheaper than hashing), a hash set beyond.
struct StringMatcher: Sendable {
    private let few: [String]
    private let many: Set<String>
    private let useSet: Bool

    init(_ values: [String]) {
        // Re-created natively so that short values are small strings: comparing two small
        // ASCII strings is a register compare, while strings that came through Yams and
        // Foundation may take the general (Unicode-aware) comparison path.
        let unique = Array(Set(values)).sorted().map { String(decoding: Array($0.utf8), as: UTF8.self) }
        useSet = unique.count > 6
        few = useSet ? [] : unique
        many = useSet ? Set(unique) : []
    }

    @inline(__always) func contains(_ value: String) -> Bool {
        useSet ? many.contains(value) : few.contains { sameText($0, value) }
    }
}

/// String equality with a byte-count check first: most candidates differ in length, and
/// native strings know their UTF-8 count.
@inline(__always)
func sameText(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a == b
}

/// Merchant category codes 0…9999 as a bit set (157 words).
struct MCCSet: Sendable {
    private var words = [UInt64](repeating: 0, count: 10_000 / 64 + 1)

    init(_ ranges: [MCCRange]) {
        for range in ranges where range.lowerBound <= range.upperBound {
            for code in max(0, range.lowerBound)...min(9_999, range.upperBound) {
                words[code >> 6] |= 1 << UInt64(code & 63)
            }
        }
    }

    @inline(__always) func contains(_ code: Int) -> Bool {
        guard code >= 0 && code <= 9_999 else { return false }
        return words[code >> 6] & (1 << UInt64(code & 63)) != 0
    }
}

/// Which lists hold an id: bit `i` stands for the `i`-th list of the file (at most 64 lists,
/// as the schema says). One hash lookup per card and per merchant answers every list
/// question about a transaction, however many lists there are.
struct ListIndex: Sendable {
    private let masks: [String: UInt64]

    /// Indexes the lists at `positions` (list position → ids).
    init(_ lists: [(position: Int, ids: Set<String>)]) {
        var masks: [String: UInt64] = [:]
        for (position, ids) in lists where position < 64 {
            for id in ids { masks[id, default: 0] |= 1 << UInt64(position) }
        }
        self.masks = masks
    }

    /// The lists holding `id`, as a bit mask (0 when none, without hashing when all are empty).
    @inline(__always) func mask(of id: String) -> UInt64 {
        masks.isEmpty ? 0 : masks[id] ?? 0
    }
}

/// ``RuleConditions`` precompiled for the hot path: bit sets for MCCs and list membership,
/// amounts in ``Money`` units, short linear scans for channels and countries. Cheap numeric
/// checks run first.
///
/// A final class so that the hot loops never copy its many fields (only a reference).
final class CompiledConditions: Sendable {
    let amountMin: Int64?
    let amountMax: Int64?
    let scoreAtLeast: Double?
    let probabilityAtLeast: Double?
    let anomalyAtLeast: Double?
    /// List bits the card must have (all of them), must not have (none of them); same for
    /// the merchant.
    let cardRequired: UInt64
    let cardExcluded: UInt64
    let merchantRequired: UInt64
    let merchantExcluded: UInt64
    let currencies: [UInt32]?
    let mccs: MCCSet?
    let channels: StringMatcher?
    let countries: StringMatcher?
    let reasonCodes: [String]?

    /// - Parameter listBit: The bit of a list name (its position in the file).
    init(_ conditions: RuleConditions, listBit: (String) -> UInt64) {
        amountMin = conditions.amount?.min?.units
        amountMax = conditions.amount?.max?.units
        scoreAtLeast = conditions.scoreAtLeast
        probabilityAtLeast = conditions.modelProbabilityAtLeast
        anomalyAtLeast = conditions.anomalyAtLeast
        currencies = conditions.currency.map { $0.compactMap { CurrencyCode($0)?.packed } }
        mccs = conditions.mcc.map(MCCSet.init)
        channels = conditions.channel.map(StringMatcher.init)
        countries = conditions.country.map(StringMatcher.init)
        reasonCodes = conditions.reasonCode.map { $0.map { String(decoding: Array($0.utf8), as: UTF8.self) } }
        cardRequired = conditions.cardIn.map(listBit) ?? 0
        cardExcluded = conditions.cardNotIn.map(listBit) ?? 0
        merchantRequired = conditions.merchantIn.map(listBit) ?? 0
        merchantExcluded = conditions.merchantNotIn.map(listBit) ?? 0
    }

    /// True when every condition holds. `decision` is nil for segment matching (segments have
    /// no decision or list conditions); `cardLists` and `merchantLists` are the list masks of
    /// the transaction's card and merchant.
    @inline(__always)
    func matches(_ transaction: Transaction, _ decision: Decision?, cardLists: UInt64, merchantLists: UInt64) -> Bool {
        let units = transaction.amount.units
        if let amountMin, units < amountMin { return false }
        if let amountMax, units > amountMax { return false }
        if let decision {
            if let scoreAtLeast, !(decision.score >= scoreAtLeast) { return false }
            if let probabilityAtLeast, !(decision.modelProbability >= probabilityAtLeast) { return false }
            if let anomalyAtLeast, !(decision.anomaly >= anomalyAtLeast) { return false }
        }
        if cardLists & cardRequired != cardRequired || cardLists & cardExcluded != 0 { return false }
        if merchantLists & merchantRequired != merchantRequired || merchantLists & merchantExcluded != 0 { return false }
        if let currencies, !currencies.contains(transaction.currency.packed) { return false }
        if let mccs {
            guard let mcc = transaction.mcc, mccs.contains(mcc) else { return false }
        }
        if let channels {
            guard let channel = transaction.channel, channels.contains(channel) else { return false }
        }
        if let countries {
            guard let country = transaction.country, countries.contains(country) else { return false }
        }
        if let reasonCodes {
            guard let decision, decision.reasons.contains(where: { reason in reasonCodes.contains { sameText($0, reason.code) } })
            else { return false }
        }
        return true
    }
}

/// Effective thresholds of the defaults or a segment, with their ids precomputed; an unset
/// or `off` action has an infinite threshold (never reached).
final class CompiledThresholds: Sendable {
    let review: Double
    let alert: Double
    let block: Double
    let reviewID: String
    let alertID: String
    let blockID: String

    init(_ thresholds: ScoreThresholds, segmentID: String) {
        review = thresholds.review?.value ?? .infinity
        alert = thresholds.alert?.value ?? .infinity
        block = thresholds.block?.value ?? .infinity
        reviewID = "threshold:\(segmentID):review"
        alertID = "threshold:\(segmentID):alert"
        blockID = "threshold:\(segmentID):block"
    }
}

struct CompiledSegment: Sendable {
    let id: String
    let match: CompiledConditions
    let thresholds: CompiledThresholds
}

struct CompiledRule: Sendable {
    let id: String
    let severity: Int
    let when: CompiledConditions
}

/// Everything ``RuleSet/evaluate(transaction:decision:)`` reads, immutable and shared.
final class CompiledRules: Sendable {
    let version: String
    /// Lists of card ids (built-in card lists and lists rules use with card_in/card_not_in).
    let cardLists: ListIndex
    /// Lists of merchant ids.
    let merchantLists: ListIndex
    /// Bits of the built-in lists (0 when the file does not have the list).
    let blockCardsBit: UInt64
    let blockMerchantsBit: UInt64
    let allowCardsBit: UInt64
    let allowMerchantsBit: UInt64
    let rules: ContiguousArray<CompiledRule>
    let segments: ContiguousArray<CompiledSegment>
    let defaults: CompiledThresholds
    /// Whether any rule's condition reads the decision's reasons (`reason_code_in`).
    var readsReasons: Bool { rules.contains { $0.when.reasonCodes != nil } }

    static let blockCardsID = "list:block_cards"
    static let blockMerchantsID = "list:block_merchants"
    static let allowCardsID = "list:allow_cards"
    static let allowMerchantsID = "list:allow_merchants"
    static let defaultSegmentID = "default"

    init(_ file: RulesFile, lists: [String: Set<String>]) {
        version = file.version
        var positions: [String: Int] = [:]
        for (position, list) in file.lists.enumerated() where positions[list.name] == nil { positions[list.name] = position }
        func bit(_ name: String) -> UInt64 {
            guard let position = positions[name], position < 64 else { return 0 }
            return 1 << UInt64(position)
        }
        var cardNames: Set<String> = [IDList.blockCards, IDList.allowCards]
        var merchantNames: Set<String> = [IDList.blockMerchants, IDList.allowMerchants]
        for rule in file.rules {
            if let name = rule.when.cardIn { cardNames.insert(name) }
            if let name = rule.when.cardNotIn { cardNames.insert(name) }
            if let name = rule.when.merchantIn { merchantNames.insert(name) }
            if let name = rule.when.merchantNotIn { merchantNames.insert(name) }
        }
        func index(_ names: Set<String>) -> ListIndex {
            ListIndex(file.lists.enumerated().filter { names.contains($0.element.name) }.map { ($0.offset, lists[$0.element.name] ?? []) })
        }
        cardLists = index(cardNames)
        merchantLists = index(merchantNames)
        blockCardsBit = bit(IDList.blockCards)
        blockMerchantsBit = bit(IDList.blockMerchants)
        allowCardsBit = bit(IDList.allowCards)
        allowMerchantsBit = bit(IDList.allowMerchants)
        rules = ContiguousArray(file.rules.map {
            CompiledRule(id: $0.id, severity: $0.action.severity, when: CompiledConditions($0.when, listBit: bit))
        })
        segments = ContiguousArray(file.segments.map {
            CompiledSegment(id: $0.id, match: CompiledConditions($0.match, listBit: bit),
                            thresholds: CompiledThresholds($0.thresholds.inheriting(file.thresholds), segmentID: $0.id))
        })
        defaults = CompiledThresholds(file.thresholds, segmentID: CompiledRules.defaultSegmentID)
    }
}
