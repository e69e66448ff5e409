import FraudEngine

extension RulesFile {
    /// The file as YAML that loads back to an equal ``RulesFile`` (and, with the same list
    /// files, an equal ``RuleSet``): fixed key order (version, description, thresholds,
    /// segments, lists, rules), strings double-quoted, numbers in their shortest exact form.
    ///
    /// - Parameter header: Text written first as `#` comment lines (e.g. who wrote the file
    ///   and from what), or nil.
    public func yaml(header: String? = nil) -> String {
        var out = YAMLWriter()
        if let header {
            for line in header.split(separator: "\n", omittingEmptySubsequences: false) {
                out.line(0, line.isEmpty ? "#" : "# \(line)")
            }
        }
        out.line(0, "version: \(YAMLWriter.quoted(version))")
        if let description { out.line(0, "description: \(YAMLWriter.quoted(description))") }
        if !thresholds.isEmpty {
            out.line(0, "thresholds:")
            out.thresholds(thresholds, indent: 2)
        }
        if !segments.isEmpty {
            out.line(0, "segments:")
            for segment in segments {
                out.line(2, "- id: \(YAMLWriter.quoted(segment.id))")
                if let description = segment.description { out.line(4, "description: \(YAMLWriter.quoted(description))") }
                out.line(4, "match:")
                out.conditions(segment.match, indent: 6)
                out.line(4, "thresholds:" + (segment.thresholds.isEmpty ? " {}" : ""))
                out.thresholds(segment.thresholds, indent: 6)
            }
        }
        if !lists.isEmpty {
            out.line(0, "lists:")
            for list in lists {
                if let file = list.file {
                    out.line(2, "\(list.name):")
                    out.line(4, "ids:" + YAMLWriter.flow(list.ids.map(YAMLWriter.quoted), indent: 4))
                    out.line(4, "file: \(YAMLWriter.quoted(file))")
                } else {
                    out.line(2, "\(list.name):" + YAMLWriter.flow(list.ids.map(YAMLWriter.quoted), indent: 2))
                }
            }
        }
        if !rules.isEmpty {
            out.line(0, "rules:")
            for rule in rules {
                out.line(2, "- id: \(YAMLWriter.quoted(rule.id))")
                if let description = rule.description { out.line(4, "description: \(YAMLWriter.quoted(description))") }
                out.line(4, "action: \(rule.action.rawValue)")
                out.line(4, "when:")
                out.conditions(rule.when, indent: 6)
            }
        }
        return out.text
    }
}

extension RuleSet {
    /// The rules as YAML that loads back to an equal rule set.
    ///
    /// - Parameters:
    ///   - inliningListFiles: Write every list's ids inline instead of its `file:` reference,
    ///     so the output stands alone (use it when writing the file elsewhere than next to
    ///     the list files).
    ///   - header: Comment lines written first, or nil.
    public func yaml(inliningListFiles: Bool = false, header: String? = nil) -> String {
        guard inliningListFiles else { return file.yaml(header: header) }
        var standalone = file
        standalone.lists = file.lists.map { IDList(name: $0.name, ids: resolvedLists[$0.name] ?? $0.ids) }
        return standalone.yaml(header: header)
    }
}

/// Builds YAML text line by line.
struct YAMLWriter {
    private(set) var text = ""

    mutating func line(_ indent: Int, _ content: String) {
        text += String(repeating: " ", count: indent) + content + "\n"
    }

    mutating func thresholds(_ thresholds: ScoreThresholds, indent: Int) {
        for action in RuleAction.allCases {
            guard let setting = thresholds[action] else { continue }
            switch setting {
            case .atLeast(let value): line(indent, "\(action.rawValue): \(YAMLWriter.number(value))")
            case .off: line(indent, "\(action.rawValue): off")
            }
        }
    }

    mutating func conditions(_ conditions: RuleConditions, indent: Int) {
        func strings(_ key: String, _ values: [String]?) {
            guard let values else { return }
            line(indent, "\(key):" + YAMLWriter.flow(values.map(YAMLWriter.quoted), indent: indent))
        }
        strings("channel", conditions.channel)
        strings("country", conditions.country)
        if let mcc = conditions.mcc {
            line(indent, "mcc:" + YAMLWriter.flow(mcc.map { $0.isSingleCode ? String($0.lowerBound) : YAMLWriter.quoted($0.description) }, indent: indent))
        }
        strings("currency", conditions.currency)
        if let amount = conditions.amount {
            var parts: [String] = []
            if let min = amount.min { parts.append("min: \(min)") }
            if let max = amount.max { parts.append("max: \(max)") }
            line(indent, "amount: {\(parts.joined(separator: ", "))}")
        }
        if let value = conditions.scoreAtLeast { line(indent, "score_at_least: \(YAMLWriter.number(value))") }
        if let value = conditions.modelProbabilityAtLeast { line(indent, "model_probability_at_least: \(YAMLWriter.number(value))") }
        if let value = conditions.anomalyAtLeast { line(indent, "anomaly_at_least: \(YAMLWriter.number(value))") }
        strings("reason_code", conditions.reasonCode)
        for (key, name) in [("card_in", conditions.cardIn), ("card_not_in", conditions.cardNotIn),
                            ("merchant_in", conditions.merchantIn), ("merchant_not_in", conditions.merchantNotIn)] {
            if let name { line(indent, "\(key): \(YAMLWriter.quoted(name))") }
        }
        if conditions == RuleConditions() { text.removeLast(); text += " {}\n" }
    }

    /// ` [a, b]` when short, otherwise a block list on the following lines (leading newline).
    static func flow(_ items: [String], indent: Int) -> String {
        let inline = " [" + items.joined(separator: ", ") + "]"
        if items.count <= 8 && inline.count + indent <= 100 { return inline }
        let pad = String(repeating: " ", count: indent + 2)
        return items.map { "\n\(pad)- \($0)" }.joined()
    }

    /// The shortest decimal that reads back as the same `Double` (`0.7`, `1e-05`).
    static func number(_ value: Double) -> String { value.description }

    /// A YAML double-quoted scalar (JSON escapes, plus the characters YAML treats as breaks).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
                    || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
