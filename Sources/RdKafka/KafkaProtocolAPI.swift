/// A Kafka protocol request type (ApiKey), used to target fault injection in
/// ``EmbeddedKafkaCluster``.
public struct KafkaProtocolAPI: Sendable, Hashable, CustomStringConvertible {
    /// The protocol's ApiKey number.
    public var key: Int16
    let name: String

    /// A request type by ApiKey number.
    public init(key: Int16) {
        self.key = key
        self.name = "ApiKey \(key)"
    }

    private init(_ key: Int16, _ name: String) {
        self.key = key
        self.name = name
    }

    /// The request type's name, e.g. `Produce`.
    public var description: String { name }

    /// Produce (0).
    public static let produce = Self(0, "Produce")
    /// Fetch (1).
    public static let fetch = Self(1, "Fetch")
    /// ListOffsets (2), also used by offsets-for-times.
    public static let listOffsets = Self(2, "ListOffsets")
    /// Metadata (3).
    public static let metadata = Self(3, "Metadata")
    /// OffsetCommit (8).
    public static let offsetCommit = Self(8, "OffsetCommit")
    /// OffsetFetch (9).
    public static let offsetFetch = Self(9, "OffsetFetch")
    /// FindCoordinator (10).
    public static let findCoordinator = Self(10, "FindCoordinator")
    /// JoinGroup (11).
    public static let joinGroup = Self(11, "JoinGroup")
    /// Heartbeat (12).
    public static let heartbeat = Self(12, "Heartbeat")
    /// LeaveGroup (13).
    public static let leaveGroup = Self(13, "LeaveGroup")
    /// SyncGroup (14).
    public static let syncGroup = Self(14, "SyncGroup")
    /// InitProducerId (22).
    public static let initProducerID = Self(22, "InitProducerId")
    /// AddPartitionsToTxn (24).
    public static let addPartitionsToTxn = Self(24, "AddPartitionsToTxn")
    /// AddOffsetsToTxn (25).
    public static let addOffsetsToTxn = Self(25, "AddOffsetsToTxn")
    /// EndTxn (26).
    public static let endTxn = Self(26, "EndTxn")
    /// TxnOffsetCommit (28).
    public static let txnOffsetCommit = Self(28, "TxnOffsetCommit")
}
