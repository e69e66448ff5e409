import FraudEngine
import FraudModels

/// Stable alert ids: `fs-` followed by 32 hex digits, two independent ``StableHash`` values
/// of the transaction id. The same transaction always gets the same id, on every replay,
/// restart and machine, so consumers can deduplicate redelivered alerts.
public enum AlertID {
    private static let seedHigh: UInt64 = 0x616C_6572_7431
    private static let seedLow: UInt64 = 0x616C_6572_7432

    /// The alert id of `transactionID`.
    public static func make(transactionID: String) -> String {
        var bytes: [UInt8] = []
        JSONByteWriter.write(into: &bytes, maxBytes: length) { write(transactionID: transactionID, to: &$0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Length of an id in bytes.
    static let length = 35

    /// Writes the id (unquoted).
    static func write(transactionID: String, to out: inout JSONCursor) {
        let high = StableHash.hash64(transactionID, seed: seedHigh)
        let low = StableHash.hash64(transactionID, seed: seedLow)
        out.raw("fs-")
        for word in [high, low] {
            var shift = 60
            while shift >= 0 {
                out.byte(JSONCursor.hex(UInt8((word >> UInt64(shift)) & 0xF)))
                shift -= 4
            }
        }
    }
}
