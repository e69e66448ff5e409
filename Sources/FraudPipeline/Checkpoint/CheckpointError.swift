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
    /// An incremental checkpoint whose chain back to a full checkpoint is broken: a file
    /// missing, unreadable, or not the one it was written after.
    case brokenChain(path: String, reason: String)
    /// The checkpoint was not written, for the reason given (outputs not acknowledged in
    /// time, the writer's copy of the engine out of step); the next one is a full one.
    case givenUp(reason: String)

    /// A one-line explanation naming the file.
    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .invalid(let path, let error):
            return "\(path): not a usable checkpoint: \(error)"
        case .brokenChain(let path, let reason):
            return "\(path): incremental checkpoint not usable: \(reason)"
        case .givenUp(let reason):
            return "given up: \(reason)"
        }
    }
}
