import FraudEngine
import FraudModels

/// The `model_version` of alerts and decision records: `engine-<fingerprint>-v<state version>`.
///
/// The fingerprint (16 hex digits) is a stable hash of the engine configuration (seed and
/// label policy included), so two engines that can disagree never share a version; the
/// state version is ``Decision/stateVersion`` (events processed before the decision), so
/// the pair names the exact model state that scored a transaction.
public struct ModelVersion: Sendable, Hashable {
    /// `engine-<16 hex digits>`.
    public let prefix: String
    let prefixBytes: [UInt8]

    /// The version family of engines with `configuration`.
    public init(configuration: EngineConfiguration) {
        let hash = StableHash.hash64(String(describing: configuration), seed: 0x6D6F_6465_6C76)
        var hex = String(hash, radix: 16)
        hex = String(repeating: "0", count: 16 - hex.count) + hex
        prefix = "engine-" + hex
        prefixBytes = Array((prefix + "-v").utf8)
    }

    /// The full version for a decision.
    public func version(stateVersion: UInt64) -> String { prefix + "-v" + String(stateVersion) }

    /// Worst-case size of ``write(stateVersion:to:)``.
    var bound: Int { prefixBytes.count + 22 }

    /// Writes the quoted version for `stateVersion`.
    func write(stateVersion: UInt64, to out: inout JSONCursor) {
        out.byte(UInt8(ascii: "\""))
        prefixBytes.withUnsafeBytes { out.bytes($0) }
        out.unsigned(stateVersion)
        out.byte(UInt8(ascii: "\""))
    }
}
