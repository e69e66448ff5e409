/// A named list of card or merchant ids, written inline, in a file, or both.
///
/// Four names act by themselves (see ``IDList/blockCards`` and friends); any other name is a
/// watch list that rules reference with `card_in`, `card_not_in`, `merchant_in` or
/// `merchant_not_in` (an unreferenced watch list is an error, to catch typos such as
/// `block_card`).
public struct IDList: Hashable, Sendable {
    /// Cards whose transactions are blocked, whatever the score.
    public static let blockCards = "block_cards"
    /// Merchants whose transactions are blocked, whatever the score.
    public static let blockMerchants = "block_merchants"
    /// Cards never alerted, reviewed or blocked because of the score (rules and block lists
    /// still apply).
    public static let allowCards = "allow_cards"
    /// Merchants never alerted, reviewed or blocked because of the score.
    public static let allowMerchants = "allow_merchants"
    /// The four lists that act by themselves, in evaluation order.
    public static let builtInNames = [blockCards, blockMerchants, allowCards, allowMerchants]

    /// The list's name (snake_case).
    public var name: String
    /// Ids written in the rules file, in file order.
    public var ids: [String]
    /// A file with one id per line, relative to the rules file's directory (or absolute).
    /// Blank lines and lines starting with `#` are ignored; spaces around an id are trimmed.
    public var file: String?

    /// Creates a list.
    public init(name: String, ids: [String] = [], file: String? = nil) {
        self.name = name
        self.ids = ids
        self.file = file
    }
}
