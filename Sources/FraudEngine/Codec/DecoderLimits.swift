/// Bounds the decoders enforce on untrusted input.
///
/// The defaults match `schemas/transaction.schema.json` and `schemas/label.schema.json`, so a
/// message the decoder accepts with default limits is valid by the schema and vice versa.
public struct DecoderLimits: Hashable, Sendable {
    /// Largest message accepted, in bytes. Default 64 KiB.
    public var maxMessageBytes: Int
    /// Largest accepted `amount` (inclusive). Default 1,000,000,000 currency units. Amounts
    /// with more than 14 integer digits are always rejected, whatever this says.
    public var maxAmount: Money
    /// Deepest nesting of objects and arrays, counting the message object itself as depth 1.
    /// Only unknown (skipped) fields can nest; skipping recurses once per level, so keep this
    /// small. Default 32.
    public var maxNestingDepth: Int
    /// Longest identifier (`transaction_id`, `card_id`, `merchant_id`, `terminal_id`), in
    /// Unicode scalars as JSON Schema's `maxLength` counts them. Default 128.
    public var maxIdentifierLength: Int
    /// Longest `channel`, in characters. Default 32.
    public var maxChannelLength: Int
    /// Accepted event times (`timestamp`, `reported_at`), in UTC epoch milliseconds.
    /// Default 2000-01-01T00:00:00.000Z through 2100-12-31T23:59:59.999Z.
    public var timestampRange: ClosedRange<EpochMillis>

    /// 2000-01-01T00:00:00.000Z.
    public static let defaultEarliestTimestamp: EpochMillis = 946_684_800_000
    /// 2100-12-31T23:59:59.999Z.
    public static let defaultLatestTimestamp: EpochMillis = 4_133_980_799_999

    /// Creates limits; every parameter defaults to the documented value.
    public init(
        maxMessageBytes: Int = 64 * 1024,
        maxAmount: Money = Money(whole: 1_000_000_000),
        maxNestingDepth: Int = 32,
        maxIdentifierLength: Int = 128,
        maxChannelLength: Int = 32,
        timestampRange: ClosedRange<EpochMillis> = defaultEarliestTimestamp...defaultLatestTimestamp
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.maxAmount = maxAmount
        self.maxNestingDepth = maxNestingDepth
        self.maxIdentifierLength = maxIdentifierLength
        self.maxChannelLength = maxChannelLength
        self.timestampRange = timestampRange
    }

    /// The default limits.
    public static let `default` = DecoderLimits()
}
