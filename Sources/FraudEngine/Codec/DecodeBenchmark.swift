/// Measures ``TransactionDecoder`` throughput on typical messages, for `fraudstream bench`.
///
/// This is a measuring function, not a test: run it in a release build on a quiet machine,
/// several times, and quote the median.
public struct DecodeBenchmark: Sendable {
    /// What one run measured.
    public struct Result: Sendable, CustomStringConvertible {
        /// Messages decoded.
        public var messages: Int
        /// Total bytes decoded.
        public var bytes: Int
        /// Wall time of the decoding loop, in seconds.
        public var seconds: Double
        /// Messages per second.
        public var messagesPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
        /// Mean message size in bytes.
        public var meanMessageBytes: Double { messages > 0 ? Double(bytes) / Double(messages) : 0 }
        /// Megabytes (10^6 bytes) per second.
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }
        /// Sum of decoded amounts and timestamps, so the work cannot be optimised away.
        public var checksum: Int64

        /// One line: `1000000 messages of 251.3 bytes in 0.812 s: 1231527 msg/s, 309.5 MB/s`.
        public var description: String {
            // Fixed-point text without Foundation's String(format:) (or libm's round).
            func fixed(_ value: Double, _ digits: Int) -> String {
                var scale: Int64 = 1
                for _ in 0..<digits { scale *= 10 }
                let scaled = Int64(value * Double(scale) + 0.5)
                let fraction = String(scaled % scale)
                return "\(scaled / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
            }
            return "\(messages) messages of \(fixed(meanMessageBytes, 1)) bytes in \(fixed(seconds, 3)) s: "
                + "\(Int64(messagesPerSecond + 0.5)) msg/s, \(fixed(megabytesPerSecond, 1)) MB/s"
        }
    }

    /// Number of distinct messages cycled through (varied ids, amounts, times and optional fields).
    public var distinctMessages: Int
    /// The decoder measured.
    public var decoder: TransactionDecoder

    /// Creates a benchmark over `distinctMessages` generated messages of about 280 bytes.
    public init(distinctMessages: Int = 4096, decoder: TransactionDecoder = TransactionDecoder()) {
        self.distinctMessages = max(1, distinctMessages)
        self.decoder = decoder
    }

    /// The messages decoded: typical transactions of about 280 bytes (a little above the usual
    /// 250-byte target, so the figure is conservative) with every field present, RFC 3339
    /// timestamps with milliseconds, and both short and 20+ character ids.
    public func messages() -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            // SplitMix64: deterministic, so every run measures the same bytes.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let channels = ["card_present", "ecommerce", "atm", "contactless"]
        let countries = ["FR", "DE", "US", "GB", "BE", "NL"]
        let currencies = ["EUR", "USD", "GBP"]
        var result: [[UInt8]] = []
        result.reserveCapacity(distinctMessages)
        let start: EpochMillis = 1_775_001_600_000  // 2026-04-01T00:00:00Z
        for i in 0..<distinctMessages {
            let terminal = "T\(100_000 + next() % 900_000)"
            let cents = 100 + next() % 50_000
            let amount = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            let time = RFC3339.format(start + EpochMillis(next() % 86_400_000))
            let latitude = Double(Int(next() % 1_800_000) - 900_000) / 10_000
            let longitude = Double(Int(next() % 3_600_000) - 1_800_000) / 10_000
            let text = """
                {"transaction_id":"tx-2026-04-01-\(String(1_000_000 + i))","card_id":"card_\(1_000_000 + next() % 9_000_000)",\
                "merchant_id":"merchant_\(10_000 + next() % 90_000)","amount":\(amount),"currency":"\(currencies[Int(next() % 3)])",\
                "timestamp":"\(time)","terminal_id":"\(terminal)","mcc":\(5000 + next() % 999),\
                "country":"\(countries[Int(next() % 6)])","channel":"\(channels[Int(next() % 4)])",\
                "latitude":\(latitude),"longitude":\(longitude)}
                """
            result.append(Array(text.utf8))
        }
        return result
    }

    /// Decodes `count` messages (cycling through ``messages()``) and reports the throughput.
    /// A decode error stops the run and is thrown; it means the benchmark itself is broken.
    public func run(count: Int) throws(DecodeError) -> Result {
        let pool = messages()
        var checksum: Int64 = 0
        var bytes = 0
        let clock = ContinuousClock()
        let started = clock.now
        var index = 0
        for _ in 0..<count {
            let message = pool[index]
            index += 1
            if index == pool.count { index = 0 }
            let transaction = try decoder.decode(message)
            checksum &+= transaction.amount.units &+ transaction.timestamp &+ Int64(transaction.cardID.utf8.count)
            bytes += message.count
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(messages: count, bytes: bytes, seconds: seconds, checksum: checksum)
    }
}
