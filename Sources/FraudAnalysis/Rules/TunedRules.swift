import FraudRules

/// Writes a rules file with tuned score thresholds: a base rules file (`--rules`) with one
/// action's threshold replaced, everywhere or per segment, and a new version.
///
/// Only score thresholds change; lists and explicit rules are kept as they are (and can
/// still act on transactions below the tuned threshold). Setting the tuned action's
/// threshold to `t` keeps the thresholds ordered (review ≤ alert ≤ block): a stronger
/// action below `t` is raised to `t`, a weaker one above `t` is lowered to `t` (it could
/// never apply anyway). `off` settings of the other actions are kept; the tuned action is
/// set even where it was `off`, so that every transaction with `score >= t` gets at least
/// that action, as the tuning assumed.
///
/// - **One threshold** (no dimension): the top-level thresholds and every segment's.
/// - **Per segment value** (`--by channel|country`): each base segment that can match a
///   tuned value is split, in place, into one copy per tuned value (its `match` narrowed to
///   that value, the tuned threshold set) followed by the rest of it unchanged, so that
///   first-match order and every other condition are preserved; after the base segments,
///   one segment per tuned value (`tuned_<dimension>_<value>`) catches that value's other
///   transactions. The value `(none)` (no channel or country) sets the top-level
///   thresholds, which then apply only to transactions no segment matches; base segments
///   spell out what they inherited so they do not change with it.
public struct TunedRules: Sendable {
    /// The rules to start from.
    public var base: RuleSet
    /// The action whose threshold is tuned (flagged = this action or a stronger one).
    public var action: RuleAction

    /// Creates a writer.
    public init(base: RuleSet, action: RuleAction = .review) {
        self.base = base
        self.action = action
    }

    /// The base rules with the tuned action's threshold set to `threshold` everywhere.
    ///
    /// - Parameter version: The new version; nil derives one from the base version and the
    ///   new thresholds.
    /// - Throws: ``AnalysisError`` when the result does not validate.
    public func rules(threshold: Double, version: String? = nil, description: String? = nil) throws(AnalysisError) -> RuleSet {
        var file = base.file
        let top = adjusted(file.thresholds, parent: nil, to: threshold)
        file.thresholds = top
        for index in file.segments.indices {
            file.segments[index].thresholds = adjusted(file.segments[index].thresholds, parent: top, to: threshold)
        }
        return try finish(file, version: version, description: description)
    }

    /// The base rules with the tuned action's threshold set per value of `dimension`
    /// (see the type's documentation).
    ///
    /// - Parameter thresholds: value → threshold, in the order segments are written;
    ///   ``SegmentDimension/noValue`` for transactions without a value.
    public func rules(
        dimension: SegmentDimension, thresholds: [(value: String, threshold: Double)], version: String? = nil,
        description: String? = nil
    ) throws(AnalysisError) -> RuleSet {
        var file = base.file
        let oldTop = file.thresholds
        let values = thresholds.filter { $0.value != SegmentDimension.noValue }
        let byValue = Dictionary(values.map { ($0.value, $0.threshold) }, uniquingKeysWith: { first, _ in first })
        if let none = thresholds.first(where: { $0.value == SegmentDimension.noValue }) {
            file.thresholds = adjusted(oldTop, parent: nil, to: none.threshold)
        }
        var ids = Set<String>()
        func uniqueID(_ wanted: String) -> String {
            let clean = Self.sanitizedID(wanted)
            var id = clean
            var n = 2
            while ids.contains(id) || id == "default" {
                let suffix = "-\(n)"
                id = String(clean.prefix(64 - suffix.count)) + suffix
                n += 1
            }
            ids.insert(id)
            return id
        }
        for segment in base.file.segments { ids.insert(segment.id) }

        var segments: [Segment] = []
        // Values a segment already written matches entirely (its only condition is on the
        // dimension): later segments for them could never match and are left out.
        var covered = Set<String>()
        func coverage(_ segment: Segment) {
            var rest = segment.match
            Self.setValues(&rest, dimension, nil)
            if rest == RuleConditions() { covered.formUnion(Self.values(of: segment.match, dimension) ?? []) }
        }
        for segment in base.file.segments {
            let own = segment.thresholds.inheriting(oldTop)
            let listed = Self.values(of: segment.match, dimension)
            let tuned = (listed ?? values.map(\.value)).filter { byValue[$0] != nil && !covered.contains($0) }
            let remaining = listed?.filter { byValue[$0] == nil && !covered.contains($0) }
            let split = tuned.count + (remaining.map { $0.isEmpty ? 0 : 1 } ?? 1) > 1
            for value in tuned {
                var copy = segment
                if split {
                    copy.id = uniqueID("\(segment.id).\(value)")
                    copy.description = segment.description.map { "\($0) (\(dimension.rawValue) \(value))" }
                }
                Self.setValues(&copy.match, dimension, [value])
                copy.thresholds = adjusted(own, parent: nil, to: byValue[value]!)
                segments.append(copy)
                coverage(copy)
            }
            if let remaining, remaining.isEmpty { continue }
            var rest = segment
            rest.thresholds = own
            if let remaining { Self.setValues(&rest.match, dimension, remaining) }
            segments.append(rest)
            coverage(rest)
        }
        for (value, threshold) in values where !covered.contains(value) {
            var match = RuleConditions()
            Self.setValues(&match, dimension, [value])
            segments.append(Segment(
                id: uniqueID("tuned_\(dimension.rawValue)_\(value)"),
                description: "Tuned threshold for \(dimension.rawValue) \(value)",
                match: match, thresholds: adjusted(oldTop, parent: nil, to: threshold)))
        }
        file.segments = segments
        return try finish(file, version: version, description: description)
    }

    /// The rules as a file that stands alone (list files written inline).
    public func yaml(_ rules: RuleSet, header: String? = nil) -> String {
        rules.yaml(inliningListFiles: true, header: header)
    }

    // MARK: - Helpers

    /// `own` with the tuned action at `t` and the other actions kept in order; `parent` is
    /// what unset actions inherit (nil at the top level).
    func adjusted(_ own: ScoreThresholds, parent: ScoreThresholds?, to t: Double) -> ScoreThresholds {
        var result = own
        result[action] = .atLeast(t)
        for other in RuleAction.allCases where other != action {
            guard case .atLeast(let value)? = own[other] ?? parent?[other] else { continue }
            if other > action && value < t { result[other] = .atLeast(t) }
            if other < action && value > t { result[other] = .atLeast(t) }
        }
        return result
    }

    private func finish(_ file: RulesFile, version: String?, description: String?) throws(AnalysisError) -> RuleSet {
        var file = file
        file.version = version ?? Self.derivedVersion(base: base.version, body: file)
        file.description = description ?? "Score thresholds (\(action.rawValue)) tuned by fraudstream tune from rules \(base.version)."
        let directory = base.path.map { path -> String in
            guard let slash = path.lastIndex(of: "/") else { return "." }
            return String(path[..<slash])
        }
        let rules: RuleSet
        do {
            rules = try RuleSet(file, fileName: "<tuned rules>", baseDirectory: directory)
        } catch {
            throw AnalysisError("the tuned rules do not validate: \(error.summary)")
        }
        // Written standalone (lists inline), it must load back to the same rules.
        do {
            let reloaded = try RuleSet(yaml: yaml(rules), fileName: "<tuned rules>")
            guard reloaded == rules else { throw AnalysisError("the tuned rules do not read back identically") }
        } catch let error as RulesError {
            throw AnalysisError("the tuned rules do not validate once written: \(error.summary)")
        } catch let error as AnalysisError {
            throw error
        } catch {
            throw AnalysisError("the tuned rules: \(error)")
        }
        return rules
    }

    /// `<base>+tune.<8 hex digits of the new thresholds>`, at most 128 characters.
    static func derivedVersion(base: String, body: RulesFile) -> String {
        var unversioned = body
        unversioned.version = "x"
        unversioned.description = nil
        var hash: UInt32 = 2_166_136_261  // FNV-1a
        for byte in unversioned.yaml().utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        let suffix = "+tune." + String(repeating: "0", count: 8 - hex.count) + hex
        return String(base.prefix(128 - suffix.count)) + suffix
    }

    /// An id of letters, digits, `_`, `.` and `-`, starting with a letter or digit, at most 64 long.
    static func sanitizedID(_ text: String) -> String {
        var id = String(text.unicodeScalars.map { scalar -> Character in
            let ok = (scalar.isASCII && (CharacterSet.alphanumerics(scalar) || scalar == "_" || scalar == "." || scalar == "-"))
            return ok ? Character(scalar) : "_"
        })
        if let first = id.unicodeScalars.first, !CharacterSet.alphanumerics(first) { id = "s" + id }
        return String(id.prefix(64))
    }

    static func values(of conditions: RuleConditions, _ dimension: SegmentDimension) -> [String]? {
        switch dimension {
        case .channel: conditions.channel
        case .country: conditions.country
        }
    }

    static func setValues(_ conditions: inout RuleConditions, _ dimension: SegmentDimension, _ values: [String]?) {
        switch dimension {
        case .channel: conditions.channel = values
        case .country: conditions.country = values
        }
    }
}

/// ASCII letters and digits (no Foundation).
private enum CharacterSet {
    static func alphanumerics(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }
}
