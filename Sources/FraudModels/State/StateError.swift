/// Why saved state (a checkpoint or a model snapshot) could not be restored.
///
/// `description` is written for the operator who reads it in a log: it says what is wrong
/// with the file and what to do, not which function failed.
public enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data ended early: `offset` is the byte position at which more data was needed.
    case truncated(offset: Int)
    /// The data does not start with the `FRDSTATE` magic: it is not a FraudStream state file.
    case badMagic
    /// The file's format version is not one this build can read.
    case unsupportedVersion(found: UInt32, supported: [UInt32])
    /// The CRC32C stored in the file does not match the contents.
    case checksumMismatch(expected: UInt32, found: UInt32)
    /// The contents are structurally invalid (an impossible count, a wrong kind, trailing bytes…).
    case corrupt(String)

    /// A sentence an operator understands.
    public var description: String {
        switch self {
        case .truncated(let offset):
            return "checkpoint is corrupt: data ends early at byte \(offset) (file truncated or damaged)"
        case .badMagic:
            return "not a FraudStream state file: it does not start with 'FRDSTATE' (wrong file, or damaged header)"
        case .unsupportedVersion(let found, let supported):
            let list = supported.map(String.init).joined(separator: ", ")
            return "checkpoint format version \(found) is not supported by this build (supported: \(list)); "
                + "restore it with a matching fraudstream release or start from a fresh state"
        case .checksumMismatch(let expected, let found):
            return "checkpoint is corrupt: checksum mismatch (stored \(Self.hex(expected)), computed "
                + "\(Self.hex(found)); file truncated or damaged)"
        case .corrupt(let reason):
            return "checkpoint is corrupt: \(reason)"
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
