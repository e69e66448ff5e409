import FraudEngine
import FraudSchema

/// Turns a rules file's JSON value into a ``RulesFile`` and makes the checks the schema
/// cannot express: increasing thresholds, unique ids, `min <= max`, MCC ranges in order,
/// known currencies, list references.
///
/// Tolerant: anything of the wrong shape is skipped (the schema reports it), so semantic
/// problems elsewhere are reported in the same pass.
struct RulesFileDecoder {
    private(set) var issues: [PendingIssue] = []
    private let map: SourceMap

    init(map: SourceMap) { self.map = map }

    private mutating func issue(_ pointer: String, _ message: String) {
        issues.append(PendingIssue(pointer, message))
    }

    mutating func decode(_ document: JSONValue) -> RulesFile {
        var file = RulesFile(version: "")
        guard case .object(let root) = document else { return file }
        if case .string(let version)? = root["version"] { file.version = version }
        if case .string(let description)? = root["description"] { file.description = description }
        if let value = root["thresholds"] {
            file.thresholds = thresholds(value, at: "/thresholds")
            checkIncreasing(file.thresholds, written: file.thresholds, at: "/thresholds", inherited: false)
        }
        if case .array(let items)? = root["segments"] {
            var firstLine: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let pointer = JSONPointer.appending(index, to: "/segments")
                guard let segment = segment(item, at: pointer) else { continue }
                let idPointer = pointer + "/id"
                if segment.id == "default" {
                    issue(idPointer, "\"default\" is reserved for the top-level thresholds; choose another segment id")
                } else if let first = firstLine[segment.id] {
                    issue(idPointer, "duplicate segment id \"\(segment.id)\" (first at line \(first))")
                } else {
                    firstLine[segment.id] = map.line(for: idPointer)
                }
                checkIncreasing(segment.thresholds.inheriting(file.thresholds), written: segment.thresholds,
                                at: pointer + "/thresholds", inherited: true)
                file.segments.append(segment)
            }
        }
        if case .object(let lists)? = root["lists"] {
            for (name, value) in lists {
                if let list = list(named: name, value, at: JSONPointer.appending(name, to: "/lists")) { file.lists.append(list) }
            }
        }
        if case .array(let items)? = root["rules"] {
            var firstLine: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let pointer = JSONPointer.appending(index, to: "/rules")
                guard let rule = rule(item, at: pointer) else { continue }
                let idPointer = pointer + "/id"
                if let first = firstLine[rule.id] {
                    issue(idPointer, "duplicate rule id \"\(rule.id)\" (first at line \(first))")
                } else {
                    firstLine[rule.id] = map.line(for: idPointer)
                }
                file.rules.append(rule)
            }
        }
        checkListReferences(file)
        return file
    }

    // MARK: - Thresholds

    private func thresholds(_ value: JSONValue, at pointer: String) -> ScoreThresholds {
        var result = ScoreThresholds()
        guard case .object(let object) = value else { return result }
        for action in RuleAction.allCases {
            switch object[action.rawValue] {
            case .number(let number)? where !number.isNegative && number <= JSONNumber(1):
                result[action] = .atLeast(number.doubleValue)
            case .string("off")?:
                result[action] = .off
            default:
                break
            }
        }
        return result
    }

    /// Effective thresholds must not decrease from review to alert to block (unset and `off`
    /// actions are skipped). A problem is reported at the higher action if it is written
    /// here, otherwise at the lower one; pairs both inherited were reported at the top level.
    private mutating func checkIncreasing(_ effective: ScoreThresholds, written: ScoreThresholds, at pointer: String, inherited: Bool) {
        var previous: (action: RuleAction, value: Double)?
        for action in RuleAction.allCases {
            guard let value = effective[action]?.value else { continue }
            defer { previous = (action, value) }
            guard let (lower, lowerValue) = previous, value < lowerValue else { continue }
            let higherWritten = written[action] != nil
            let lowerWritten = written[lower] != nil
            guard higherWritten || lowerWritten else { continue }
            func describe(_ action: RuleAction, _ value: Double, _ isWritten: Bool) -> String {
                isWritten || !inherited ? "\(action) \(value)" : "\(action) \(value) (inherited from thresholds.\(action))"
            }
            let message = "\(describe(action, value, higherWritten)) is below \(describe(lower, lowerValue, lowerWritten)): "
                + "thresholds must not decrease (review <= alert <= block)"
            issue(JSONPointer.appending(higherWritten ? action.rawValue : lower.rawValue, to: pointer), message)
        }
    }

    // MARK: - Segments, rules, conditions

    private mutating func segment(_ value: JSONValue, at pointer: String) -> Segment? {
        guard case .object(let object) = value, case .string(let id)? = object["id"] else { return nil }
        var segment = Segment(id: id, match: RuleConditions(), thresholds: ScoreThresholds())
        if case .string(let description)? = object["description"] { segment.description = description }
        if let match = object["match"] { segment.match = conditions(match, at: pointer + "/match") }
        if let thresholds = object["thresholds"] { segment.thresholds = self.thresholds(thresholds, at: pointer + "/thresholds") }
        return segment
    }

    private mutating func rule(_ value: JSONValue, at pointer: String) -> Rule? {
        guard case .object(let object) = value, case .string(let id)? = object["id"] else { return nil }
        var action = RuleAction.review
        if case .string(let text)? = object["action"], let parsed = RuleAction(rawValue: text) { action = parsed }
        var rule = Rule(id: id, action: action, when: RuleConditions())
        if case .string(let description)? = object["description"] { rule.description = description }
        if let when = object["when"] { rule.when = conditions(when, at: pointer + "/when") }
        return rule
    }

    private mutating func conditions(_ value: JSONValue, at pointer: String) -> RuleConditions {
        var result = RuleConditions()
        guard case .object(let object) = value else { return result }
        func strings(_ key: String) -> [String]? {
            guard case .array(let items)? = object[key] else { return nil }
            return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }
        func probability(_ key: String) -> Double? {
            guard case .number(let number)? = object[key] else { return nil }
            return number.doubleValue
        }
        func name(_ key: String) -> String? {
            guard case .string(let text)? = object[key] else { return nil }
            return text
        }
        result.channel = strings("channel")
        result.country = strings("country")
        if let currencies = strings("currency") {
            result.currency = currencies
            for (index, code) in currencies.enumerated() where code.utf8.count == 3 && CurrencyCode(code) == nil {
                issue(JSONPointer.appending(index, to: pointer + "/currency"), "\"\(code)\" is not an ISO 4217 currency code")
            }
        }
        if case .array(let items)? = object["mcc"] {
            var ranges: [MCCRange] = []
            for (index, item) in items.enumerated() {
                let itemPointer = JSONPointer.appending(index, to: pointer + "/mcc")
                switch item {
                case .number(let number) where number.isInteger && !number.isNegative && number <= JSONNumber(9999):
                    ranges.append(MCCRange(Int(number.description) ?? 0))
                case .string(let text):
                    guard let range = MCCRange(parsing: text), text.contains("-") else { continue }
                    if range.lowerBound > range.upperBound {
                        issue(itemPointer, "MCC range \"\(text)\" is reversed: write the lower code first")
                    }
                    ranges.append(range)
                default:
                    continue
                }
            }
            result.mcc = ranges
        }
        if case .object(let amount)? = object["amount"] {
            var range = AmountRange()
            if case .number(let number)? = amount["min"] { range.min = Money(number.description) }
            if case .number(let number)? = amount["max"] { range.max = Money(number.description) }
            if let min = range.min, let max = range.max, min > max {
                issue(pointer + "/amount/max", "max \(max) is below min \(min): the range matches nothing")
            }
            result.amount = range
        }
        result.scoreAtLeast = probability("score_at_least")
        result.modelProbabilityAtLeast = probability("model_probability_at_least")
        result.anomalyAtLeast = probability("anomaly_at_least")
        result.reasonCode = strings("reason_code")
        result.cardIn = name("card_in")
        result.cardNotIn = name("card_not_in")
        result.merchantIn = name("merchant_in")
        result.merchantNotIn = name("merchant_not_in")
        return result
    }

    // MARK: - Lists

    private func list(named name: String, _ value: JSONValue, at pointer: String) -> IDList? {
        func ids(_ items: [JSONValue]) -> [String] {
            items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }
        switch value {
        case .array(let items):
            return IDList(name: name, ids: ids(items))
        case .object(let object):
            var list = IDList(name: name)
            if case .array(let items)? = object["ids"] { list.ids = ids(items) }
            if case .string(let file)? = object["file"] { list.file = file }
            return list
        default:
            return nil
        }
    }

    /// Every list a rule names exists, every watch list is used, and card lists are not used
    /// as merchant lists (or the reverse).
    private mutating func checkListReferences(_ file: RulesFile) {
        let defined = Set(file.lists.map(\.name))
        var used: Set<String> = []
        for (index, rule) in file.rules.enumerated() {
            let pointer = JSONPointer.appending(index, to: "/rules") + "/when"
            let references: [(key: String, name: String?, cards: Bool)] = [
                ("card_in", rule.when.cardIn, true), ("card_not_in", rule.when.cardNotIn, true),
                ("merchant_in", rule.when.merchantIn, false), ("merchant_not_in", rule.when.merchantNotIn, false),
            ]
            for reference in references {
                guard let name = reference.name else { continue }
                used.insert(name)
                let keyPointer = JSONPointer.appending(reference.key, to: pointer)
                if !defined.contains(name) {
                    let known = file.lists.map(\.name)
                    issue(keyPointer, "no list named \"\(name)\" under lists"
                        + (known.isEmpty ? "" : " (lists: \(known.joined(separator: ", ")))"))
                } else if reference.cards && (name == IDList.blockMerchants || name == IDList.allowMerchants) {
                    issue(keyPointer, "\"\(name)\" holds merchant ids, not card ids")
                } else if !reference.cards && (name == IDList.blockCards || name == IDList.allowCards) {
                    issue(keyPointer, "\"\(name)\" holds card ids, not merchant ids")
                }
            }
        }
        for list in file.lists where !IDList.builtInNames.contains(list.name) && !used.contains(list.name) {
            issue(JSONPointer.appending(list.name, to: "/lists"),
                  "list \"\(list.name)\" is not used by any rule (the lists that act by themselves are "
                      + "\(IDList.builtInNames.joined(separator: ", ")); other lists need a rule with card_in or merchant_in)")
        }
    }
}
