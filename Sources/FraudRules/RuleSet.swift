import FraudEngine

/// A validated, compiled rules file: turns the engine's ``Decision`` on a ``Transaction``
/// into an action (review, alert, block or none), deterministically.
///
/// Create one with ``load(contentsOf:)`` (a YAML file), ``init(yaml:fileName:baseDirectory:)``
/// or ``init(_:fileName:baseDirectory:)`` (a ``RulesFile`` built in code); all three run the
/// same schema and semantic checks. A rule set is immutable and cheap to copy and share
/// across threads.
///
/// ## Precedence
/// ``evaluate(transaction:decision:)`` collects contributions in this order, and the
/// strongest action among them wins (block > alert > review):
/// 1. **Block lists**: a card in `block_cards` or a merchant in `block_merchants` → block.
/// 2. **Explicit rules**: every rule whose conditions all hold → its action.
/// 3. **Allow lists**: a card in `allow_cards` or a merchant in `allow_merchants` suppresses
///    step 4 (they never alert, review or block *because of the score*), but not steps 1–2:
///    a block list or an explicit rule is a deliberate decision, an allow list an exemption
///    from the model. The same id in an allow and a block list is rejected at load time.
/// 4. **Score thresholds**: the first segment (file order) whose `match` holds, else the
///    top-level thresholds; the highest action whose threshold the score reaches
///    (`score >= threshold`) applies.
public struct RuleSet: Sendable, Equatable, CustomStringConvertible {
    /// The file's contents as written.
    public let file: RulesFile
    /// The file it was loaded from, as given (nil when built from text or a model).
    public let path: String?
    /// Resolved paths of the list files it read, in list order (the reloader watches them).
    public let listFiles: [String]
    /// Every list's ids (inline and from its file), sorted, without duplicates.
    let resolvedLists: [String: [String]]
    let compiled: CompiledRules

    init(file: RulesFile, path: String?, listFiles: [String], lists: [String: Set<String>]) {
        self.file = file
        self.path = path
        self.listFiles = listFiles
        self.resolvedLists = lists.mapValues { $0.sorted() }
        self.compiled = CompiledRules(file, lists: lists)
    }

    /// The rules version every outcome (and alert) carries.
    public var version: String { file.version }

    /// Whether ``evaluate(transaction:decision:)`` reads the decision's reasons (a rule
    /// with `reason_code_in`); when not, a decision without them gives the same verdict.
    public var readsReasons: Bool { compiled.readsReasons }

    /// A list's ids (inline and from its file), sorted, without duplicates; nil if there is
    /// no such list.
    public func ids(inList name: String) -> [String]? { resolvedLists[name] }

    /// Applies the rules to one scored transaction. Pure and deterministic: the same rules,
    /// transaction and decision always give the same outcome. See the type's documentation
    /// for the precedence; ``RuleOutcome/ruleIDs`` lists every contribution in that order.
    ///
    /// Allocates only when something matches (the `ruleIDs` array); ids are precomputed.
    public func evaluate(transaction: Transaction, decision: Decision) -> RuleOutcome {
        let rules = compiled
        let card = rules.cardLists.mask(of: transaction.cardID)
        let merchant = rules.merchantLists.mask(of: transaction.merchantID)
        var ids: [String] = []
        var severity = 0
        if card & rules.blockCardsBit != 0 {
            ids.append(CompiledRules.blockCardsID)
            severity = 3
        }
        if merchant & rules.blockMerchantsBit != 0 {
            ids.append(CompiledRules.blockMerchantsID)
            severity = 3
        }
        rules.rules.withUnsafeBufferPointer { explicit in
            for index in explicit.indices where explicit[index].when.matches(transaction, decision, cardLists: card, merchantLists: merchant) {
                ids.append(explicit[index].id)
                if explicit[index].severity > severity { severity = explicit[index].severity }
            }
        }
        var allowed = false
        if card & rules.allowCardsBit != 0 {
            ids.append(CompiledRules.allowCardsID)
            allowed = true
        }
        if merchant & rules.allowMerchantsBit != 0 {
            ids.append(CompiledRules.allowMerchantsID)
            allowed = true
        }
        var segmentID = CompiledRules.defaultSegmentID
        var thresholds = rules.defaults
        rules.segments.withUnsafeBufferPointer { segments in
            for index in segments.indices where segments[index].match.matches(transaction, nil, cardLists: 0, merchantLists: 0) {
                segmentID = segments[index].id
                thresholds = segments[index].thresholds
                break
            }
        }
        if !allowed {
            let score = decision.score
            if score >= thresholds.block {
                ids.append(thresholds.blockID)
                severity = 3
            } else if score >= thresholds.alert {
                ids.append(thresholds.alertID)
                if severity < 2 { severity = 2 }
            } else if score >= thresholds.review {
                ids.append(thresholds.reviewID)
                if severity < 1 { severity = 1 }
            }
        }
        return RuleOutcome(action: RuleAction(severity: severity), ruleIDs: ids, rulesVersion: rules.version, segmentID: segmentID)
    }

    /// Equal when the files are equal and every list holds the same ids (wherever they are
    /// written); the path does not matter.
    public static func == (lhs: RuleSet, rhs: RuleSet) -> Bool {
        lhs.file == rhs.file && lhs.resolvedLists == rhs.resolvedLists
    }

    /// `rules <version> (<n> segments, <n> rules, <n> list ids)`.
    public var description: String {
        let listIDs = resolvedLists.values.reduce(0) { $0 + $1.count }
        return "rules \(version) (\(file.segments.count) segments, \(file.rules.count) rules, \(listIDs) list ids)"
    }
}
