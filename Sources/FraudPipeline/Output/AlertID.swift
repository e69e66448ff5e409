import FraudModels

/// Stable alert ids: `fs-` followed by 32 hex digits, two independent ``StableHash`` values
/// of the transaction id. The same transaction always gets the same id, on every replay,
/// restart and machine, so consumers can deduplicate redelivered alerts.
public enum AlertID {
    private static let seedHigh: UInt64 = 0x616C_6572_7431
    private static let seedLow: UInt64 = 0x616C_6572_7432
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// The alert id of `transactionID`.
    public static func make(transactionID: String) -> String {
        var bytes: [UInt8] = []
        append(transactionID: transactionID, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the id (unquoted) to `out`.
    static func append(transactionID: String, to out: inout [UInt8]) {
        let high = StableHash.hash64(transactionID, seed: seedHigh)
        let low = StableHash.hash64(transactionID, seed: seedLow)
        out.append(UInt8(ascii: "f"))
        out.append(UInt8(ascii: "s"))
        out.append(UInt8(ascii: "-"))
        for word in [high, low] {
            var shift = 60
            while shift >= 0 {
                out.append(hex[Int((word >> UInt64(shift)) & 0xF)])
                shift -= 4
            }
        }
    }
}
