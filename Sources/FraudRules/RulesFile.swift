/// The contents of a rules file, as written: the declarative model that ``RuleSet`` compiles
/// and that ``yaml(header:)`` writes back (e.g. `fraudstream tune --write-rules`).
///
/// Build or edit one freely; ``RuleSet/init(_:fileName:baseDirectory:)`` checks it exactly as
/// if it had been loaded from a file (schema and semantic checks), so a rules set is always
/// writable and loadable.
public struct RulesFile: Hashable, Sendable {
    /// Carried by every alert as `rules_version`.
    public var version: String
    /// Free text for people.
    public var description: String?
    /// Thresholds used when no segment matches.
    public var thresholds: ScoreThresholds
    /// Segments in file order; the first that matches decides the thresholds.
    public var segments: [Segment]
    /// Named id lists in file order.
    public var lists: [IDList]
    /// Explicit rules in file order.
    public var rules: [Rule]

    /// Creates a rules file.
    public init(
        version: String, description: String? = nil, thresholds: ScoreThresholds = ScoreThresholds(),
        segments: [Segment] = [], lists: [IDList] = [], rules: [Rule] = []
    ) {
        self.version = version
        self.description = description
        self.thresholds = thresholds
        self.segments = segments
        self.lists = lists
        self.rules = rules
    }

    /// The list with this name, if any.
    public func list(named name: String) -> IDList? { lists.first { $0.name == name } }
}
