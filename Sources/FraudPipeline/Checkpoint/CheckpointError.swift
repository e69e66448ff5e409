import FraudModels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a checkpoint could not be written or read.
public enum CheckpointError: Error, Sendable, CustomStringConvertible {
    /// A file-system operation failed (`errno` names why).
    case io(path: String, operation: String, errno: Int32)
    /// The file is not a usable checkpoint: damaged, truncated, another kind of file, or a
    /// format this build does not read.
    case invalid(path: String, StateError)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .invalid(let path, let error):
            return "\(path): not a usable checkpoint: \(error)"
        }
    }
}
